// Passkey island: turns [data-passkey-register] and [data-passkey-signin] containers into a
// button that runs the WebAuthn ceremony against `${url}/options` and `${url}`, then follows the
// redirect the server answers. Every word shown comes from the container's data- attributes.
// The JSON <-> ArrayBuffer conversion is done here rather than with @simplewebauthn/browser,
// whose code esbuild cannot lower to our Safari 13 target; it is only base64url, no crypto.
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';

/** Every answer may carry `redirect` (done, or the session ended); errors are JSON too. */
type Answer<T = object> = Partial<T> & { redirect?: string };

const toBytes = (text: string): Uint8Array<ArrayBuffer> => {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
};

const toText = (buffer: ArrayBuffer | null): string | undefined => {
  if (!buffer) return undefined;
  let raw = '';
  for (const byte of new Uint8Array(buffer)) raw += String.fromCharCode(byte);
  return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const descriptors = (list: { id: string; type?: string; transports?: string[] }[] | undefined) =>
  (list ?? []).map((c) => ({ ...c, type: 'public-key' as const, id: toBytes(c.id), transports: c.transports as AuthenticatorTransport[] | undefined }));

/** The parts of a credential every answer has. */
function common(credential: PublicKeyCredential) {
  return {
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

async function create(options: PublicKeyCredentialCreationOptionsJSON) {
  const publicKey = {
    ...options,
    challenge: toBytes(options.challenge),
    user: { ...options.user, id: toBytes(options.user.id) },
    excludeCredentials: descriptors(options.excludeCredentials),
  } as PublicKeyCredentialCreationOptions;
  const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
  const response = credential.response as AuthenticatorAttestationResponse;
  return {
    ...common(credential),
    response: {
      clientDataJSON: toText(response.clientDataJSON),
      attestationObject: toText(response.attestationObject),
      transports: typeof response.getTransports === 'function' ? response.getTransports() : undefined,
    },
  };
}

async function get(options: PublicKeyCredentialRequestOptionsJSON) {
  const publicKey = { ...options, challenge: toBytes(options.challenge), allowCredentials: descriptors(options.allowCredentials) } as PublicKeyCredentialRequestOptions;
  const credential = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    ...common(credential),
    response: {
      clientDataJSON: toText(response.clientDataJSON),
      authenticatorData: toText(response.authenticatorData),
      signature: toText(response.signature),
      userHandle: toText(response.userHandle),
    },
  };
}

async function post<T = object>(url: string, body: object): Promise<Answer<T>> {
  const res = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Answer<T>;
}

function mount(box: HTMLElement): void {
  const register = box.hasAttribute('data-passkey-register');
  const url = box.getAttribute(register ? 'data-passkey-register' : 'data-passkey-signin') ?? '';
  const labels = box.dataset;
  const status = box.querySelector<HTMLElement>('[data-passkey-status]');
  const fallback = box.querySelector<HTMLElement>('[data-passkey-fallback]');
  const csrf = box.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  const password = box.querySelector<HTMLInputElement>('input[name="password"]');
  const say = (text: string | undefined) => {
    if (status) status.textContent = text ?? '';
  };
  if (typeof window.PublicKeyCredential !== 'function' || !navigator.credentials) {
    if (fallback) fallback.textContent = labels.labelUnsupported ?? '';
    return;
  }
  fallback?.remove();

  let nameInput: HTMLInputElement | undefined;
  if (register) {
    const id = `passkey-name-${url.replace(/\W/g, '-')}`;
    const field = document.createElement('div');
    field.className = 'field';
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = labels.labelName ?? '';
    const hint = document.createElement('span');
    hint.className = 'hint';
    hint.id = `${id}-hint`;
    hint.textContent = labels.labelNameHint ?? '';
    nameInput = document.createElement('input');
    nameInput.id = id;
    nameInput.type = 'text';
    nameInput.maxLength = 60;
    nameInput.autocomplete = 'off';
    nameInput.setAttribute('aria-describedby', hint.id);
    field.append(label, hint, nameInput);
    box.insertBefore(field, status);
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = labels.labelButton ?? '';
  box.insertBefore(button, status);

  button.addEventListener('click', async () => {
    button.disabled = true;
    say(labels.labelWorking);
    try {
      const options = await post<PublicKeyCredentialCreationOptionsJSON & PublicKeyCredentialRequestOptionsJSON>(`${url}/options`, { _csrf: csrf });
      if (options.redirect) return window.location.assign(options.redirect);
      if (!options.challenge) throw new Error('no options');
      const body = register
        ? { _csrf: csrf, name: nameInput?.value ?? '', password: password?.value, response: await create(options as PublicKeyCredentialCreationOptionsJSON) }
        : { _csrf: csrf, next: new URLSearchParams(window.location.search).get('next') ?? undefined, response: await get(options as PublicKeyCredentialRequestOptionsJSON) };
      const answer = await post(url, body);
      if (answer.redirect) return window.location.assign(answer.redirect);
      say(labels.labelFailed);
    } catch {
      say(labels.labelFailed);
    }
    button.disabled = false;
  });
}

document.querySelectorAll<HTMLElement>('[data-passkey-register], [data-passkey-signin]').forEach(mount);
