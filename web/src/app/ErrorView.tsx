/** Loading and error states shared by pages. */
import { Alert, Button, Flex, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from './api.js';

export function Loading({ testId = 'loading' }: { testId?: string }) {
  const { t } = useTranslation();
  return (
    <Flex justify="center" align="center" style={{ minHeight: 240 }} data-testid={testId}>
      <Spin size="large" description={t('common.loading')} />
    </Flex>
  );
}

/** The message to show for an error: the server's own message when it sent one. */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error: unknown) => {
    if (error instanceof ApiError) return error.isNetwork ? t('common.networkError') : error.isUnavailable ? t('common.unavailable') : error.isStale ? t('common.staleRecord') : error.message;
    if (error instanceof Error) return error.message;
    return String(error);
  };
}

/**
 * An error box with the server's message and a retry button; a 404 shows `notFoundTitle`
 * as a full result page when given.
 */
export function ErrorView({
  error,
  onRetry,
  notFoundTitle,
  notFoundHint,
}: {
  error: unknown;
  onRetry?: () => void;
  notFoundTitle?: string;
  notFoundHint?: string;
}) {
  const { t } = useTranslation();
  const messageOf = useErrorMessage();
  if (notFoundTitle && error instanceof ApiError && error.isNotFound) {
    return <NotFoundResult title={notFoundTitle} hint={notFoundHint} />;
  }
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="error"
      title={t('common.error')}
      description={
        <span>
          {messageOf(error)}
          {code && code !== 'NETWORK' ? <span style={{ color: 'rgba(0,0,0,0.45)', marginInlineStart: 8 }}>({code})</span> : null}
        </span>
      }
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

/** A 404 result page with a link home. */
export function NotFoundResult({ title, hint }: { title: string; hint?: string | undefined }) {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={<span data-testid="not-found">{title}</span>}
      subTitle={hint}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('common.pageNotFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}
