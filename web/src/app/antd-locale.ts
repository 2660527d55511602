/**
 * antd's locale objects. The files are ES modules at runtime, but their typings are CommonJS
 * under NodeNext resolution, so TypeScript sees the default export wrapped in `{ default }`;
 * unwrap whichever shape arrives.
 */
import type { ConfigProviderProps } from 'antd';
import enUSModule from 'antd/es/locale/en_US.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';

export type AntdLocale = NonNullable<ConfigProviderProps['locale']>;

function unwrap(mod: unknown): AntdLocale {
  const m = mod as AntdLocale | { default: AntdLocale };
  return 'default' in m ? m.default : m;
}

export const zhCN: AntdLocale = unwrap(zhCNModule);
export const enUS: AntdLocale = unwrap(enUSModule);
