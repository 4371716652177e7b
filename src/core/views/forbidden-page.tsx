import type { Permission } from '../auth/permissions.ts';
import { ConsoleLayout } from './console-layout.tsx';
import { usePage } from './context.ts';

/** The translation key naming a permission in words ("manage accounts"), for refusals and help. */
export const permissionLabelKey = (permission: Permission | string) => `console.permissions.${permission}`;

export type ConsoleForbiddenPageProps = { permission?: string | undefined };

/**
 * A console page the signed-in person may not open: still the console (its menu, who is signed
 * in), never the public error page with its quick-exit bar, and it says which permission the
 * page needs so the person knows what to ask an administrator for.
 */
export function ConsoleForbiddenPage({ permission }: ConsoleForbiddenPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('console.forbidden.title')}>
      <h1>{t('console.forbidden.title')}</h1>
      <p>{permission ? t('console.forbidden.needs', { permission: t(permissionLabelKey(permission)) }) : t('console.forbidden.general')}</p>
      <p><a href="/console">{t('console.forbidden.home')}</a></p>
    </ConsoleLayout>
  );
}

export const sampleConsoleForbiddenPage: ConsoleForbiddenPageProps = { permission: 'audit.read' };
