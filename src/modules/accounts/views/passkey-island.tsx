import { usePage } from '../../../core/views/context.ts';
import { CsrfField } from '../../../core/views/forms.tsx';

export type PasskeyIslandProps = {
  /** Adds a passkey, or proves one as the second factor. */
  mode: 'register' | 'signin';
  /** Where the island posts; it asks `${url}/options` first. */
  url: string;
  /** Shown without JavaScript, where the button would be. */
  hint: string;
  /** Adding one from a signed-in session: a password field the island sends with the new passkey. */
  askPassword?: boolean;
};

/**
 * Where passkey.js mounts its button: translated labels in data- attributes, the CSRF token its
 * JSON posts carry, and a live region for its messages. Without the script only the hint shows.
 */
export function PasskeyIsland({ mode, url, hint, askPassword }: PasskeyIslandProps) {
  const { t } = usePage();
  const mount = mode === 'register' ? { 'data-passkey-register': url } : { 'data-passkey-signin': url };
  return (
    <div
      class="passkey-island"
      {...mount}
      data-label-button={t(mode === 'register' ? 'accounts.passkeys.add' : 'accounts.passkeys.use')}
      data-label-name={t('accounts.passkeys.nameLabel')}
      data-label-name-hint={t('accounts.passkeys.nameHint')}
      data-label-working={t('accounts.passkeys.working')}
      data-label-failed={t(mode === 'register' ? 'accounts.passkeys.addFailed' : 'accounts.passkeys.failed')}
      data-label-unsupported={t('accounts.passkeys.unsupported')}
    >
      <CsrfField />
      {askPassword ? (
        <div class="field">
          <label for="passkey-password">{t('accounts.reauth.passwordLabel')}</label>
          <span class="hint" id="passkey-password-hint">{t('accounts.reauth.passwordHint')}</span>
          <input id="passkey-password" name="password" type="password" autocomplete="current-password" aria-describedby="passkey-password-hint" required />
        </div>
      ) : null}
      <p class="hint" data-passkey-fallback>{hint}</p>
      <p class="passkey-status" data-passkey-status aria-live="polite"></p>
    </div>
  );
}
