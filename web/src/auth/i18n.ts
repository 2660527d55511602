/**
 * UI strings of signing in — the login page, the account bar, two-step verification — in Simplified
 * Chinese and English (spread into web/src/app/i18n.ts at the top level); English is typed
 * against Chinese, so a missing string fails typecheck.
 */
import type { Messages } from '../app/messages.js';

export const authZh = {
  login: {
    title: '登录',
    username: '用户名',
    password: '密码',
    usernameRequired: '请输入用户名',
    passwordRequired: '请输入密码',
    submit: '登录',
    failed: '用户名或密码错误',
    rateLimited: '尝试次数过多，请稍后再试',
    totpTitle: '两步验证',
    totpHint: '请输入身份验证器应用中显示的 6 位验证码。',
    totpSubmit: '验证并登录',
    totpFailed: '验证码不正确或已过期，请重新输入',
    back: '返回重新输入用户名和密码',
    notice: '本系统含有困难群众个人信息，仅限授权人员依职责使用；所有访问均记录审计日志。',
  },
  account: {
    scope: '数据范围：{{scope}}',
    logout: '退出登录',
    menu: '账号与设置',
  },
  auth: {
    forbiddenTitle: '无权访问此页面',
    forbiddenHint: '您的角色不能使用此功能。如需开通，请联系安全管理员。',
    noRoleTitle: '账号尚未分配角色',
    noRoleHint: '请联系安全管理员为您分配角色和数据范围后再使用。',
  },
  totp: {
    menu: '两步验证',
    title: '两步验证（TOTP）',
    isEnabled: '两步验证已启用',
    isEnabledHint: '登录时除密码外还需输入身份验证器中的 6 位验证码。可以重新绑定到新的设备。',
    isDisabled: '两步验证未启用',
    isDisabledHint: '启用后，登录时除密码外还需输入身份验证器应用（如 Microsoft Authenticator、Google 身份验证器）中的 6 位验证码。',
    start: '开始设置',
    restart: '重新绑定',
    step1: '第一步：用身份验证器应用扫描二维码，或手动输入下面的密钥。',
    secret: '密钥',
    url: 'otpauth 链接',
    step2: '第二步：输入应用中显示的 6 位验证码以确认。',
    enable: '启用两步验证',
    enabled: '两步验证已启用，下次登录时需要输入验证码',
    codeRejected: '验证码未通过：{{message}}',
    current: '重新绑定需要当前身份验证器中的 6 位验证码：',
  },
};

export const authEn: Messages<typeof authZh> = {
  login: {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    usernameRequired: 'Enter your username',
    passwordRequired: 'Enter your password',
    submit: 'Sign in',
    failed: 'Wrong username or password',
    rateLimited: 'Too many attempts. Try again later.',
    totpTitle: 'Two-step verification',
    totpHint: 'Enter the 6-digit code shown in your authenticator app.',
    totpSubmit: 'Verify and sign in',
    totpFailed: 'The code is wrong or has expired. Try again.',
    back: 'Back to username and password',
    notice: 'This system holds personal data of people in hardship. Authorised staff only, for their duties; every access is recorded in the audit trail.',
  },
  account: {
    scope: 'Scope: {{scope}}',
    logout: 'Sign out',
    menu: 'Account and settings',
  },
  auth: {
    forbiddenTitle: 'You cannot open this page',
    forbiddenHint: 'Your role does not include this function. Ask the security administrator if you need it.',
    noRoleTitle: 'Your account has no role yet',
    noRoleHint: 'Ask the security administrator to assign you a role and a scope.',
  },
  totp: {
    menu: 'Two-step',
    title: 'Two-step verification (TOTP)',
    isEnabled: 'Two-step verification is on',
    isEnabledHint: 'Signing in asks for the 6-digit code from your authenticator besides the password. You can move it to a new device.',
    isDisabled: 'Two-step verification is off',
    isDisabledHint: 'Once on, signing in asks for the 6-digit code from an authenticator app (Microsoft Authenticator, Google Authenticator …) besides the password.',
    start: 'Set up',
    restart: 'Set up again',
    step1: 'Step 1: scan the QR code with your authenticator app, or type the secret below.',
    secret: 'Secret',
    url: 'otpauth URL',
    step2: 'Step 2: enter the 6-digit code the app shows, to confirm.',
    enable: 'Turn on',
    enabled: 'Two-step verification is on: the next sign-in asks for a code',
    codeRejected: 'The code was not accepted: {{message}}',
    current: 'Moving to a new device needs a 6-digit code from your current authenticator:',
  },
};
