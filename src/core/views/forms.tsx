import type { ComponentChildren } from 'preact';
import type { FieldError, FormErrors, FormValues } from '../http/forms.ts';
import { usePage } from './context.ts';

/** The state a form view is rendered with: what was typed and what was wrong. */
export type FormState = { values: FormValues; errors: FormErrors };

export const emptyForm: FormState = { values: {}, errors: {} };

const errorId = (name: string) => `${name}-error`;
const hintId = (name: string) => `${name}-hint`;

/** The message for a field, or for any item of it (`languages.0`): a form field is one input. */
function errorFor(state: FormState, name: string): FieldError | undefined {
  return state.errors[name] ?? Object.entries(state.errors).find(([k]) => k.startsWith(`${name}.`))?.[1];
}

function valueOf(state: FormState, name: string): string {
  const v = state.values[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function listOf(state: FormState, name: string): string[] {
  const v = state.values[name];
  return Array.isArray(v) ? v : v ? [v] : [];
}

function Describe({ name, hint, error }: { name: string; hint?: string; error?: FieldError }) {
  const { t } = usePage();
  return (
    <>
      {hint ? <span class="hint" id={hintId(name)}>{hint}</span> : null}
      {error ? <span class="field-error" id={errorId(name)}>{t(error.key, error.params)}</span> : null}
    </>
  );
}

function describedBy(name: string, hint: string | undefined, error: FieldError | undefined): string | undefined {
  const ids = [hint ? hintId(name) : '', error ? errorId(name) : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/** Every failing field, linked, at the top of the form: screen readers hear it first. */
export function ErrorSummary({ errors }: { errors: FormErrors }) {
  const { t } = usePage();
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
      <h2>{t('common.form.errorSummary')}</h2>
      <ul>
        {entries.map(([field, error]) => (
          <li key={field}>
            {field === '_form' ? t(error.key, error.params) : <a href={`#${field.split('.')[0]}`}>{t(error.key, error.params)}</a>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CsrfField() {
  const { csrfToken } = usePage();
  return csrfToken ? <input type="hidden" name="_csrf" value={csrfToken} /> : null;
}

type InputProps = {
  state: FormState;
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'tel' | 'search' | 'number' | 'date' | 'url' | 'time' | 'datetime-local';
  required?: boolean;
  autocomplete?: string;
  maxLength?: number;
  inputMode?: 'numeric' | 'decimal' | 'text' | 'tel' | 'email';
  /** Passwords and secrets are never echoed back into the page. */
  keepValue?: boolean;
};

export function TextField(props: InputProps) {
  const { state, name, label, hint } = props;
  const error = errorFor(state, name);
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <Describe name={name} hint={hint} error={error} />
      <input
        id={name}
        name={name}
        type={props.type ?? 'text'}
        value={props.keepValue === false || props.type === 'password' ? '' : valueOf(state, name)}
        required={props.required}
        autocomplete={props.autocomplete}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
    </div>
  );
}

export function TextArea(props: Omit<InputProps, 'type'> & { rows?: number }) {
  const { state, name, label, hint } = props;
  const error = errorFor(state, name);
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <Describe name={name} hint={hint} error={error} />
      <textarea
        id={name}
        name={name}
        rows={props.rows ?? 6}
        required={props.required}
        autocomplete={props.autocomplete}
        maxLength={props.maxLength}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
      >
        {valueOf(state, name)}
      </textarea>
    </div>
  );
}

/**
 * A file input. Browsers never refill one, so a form that comes back with an error asks for the
 * file again in its message; the other fields keep what was typed.
 */
export function FileField(props: { state: FormState; name: string; label: string; hint: string; accept: string; multiple?: boolean }) {
  const { state, name, label, hint } = props;
  const error = errorFor(state, name);
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <Describe name={name} hint={hint} error={error} />
      <input id={name} name={name} type="file" multiple={props.multiple} accept={props.accept} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(name, hint, error)} />
    </div>
  );
}

export type Option = { value: string; label: string };

export function SelectField(props: { state: FormState; name: string; label: string; hint?: string; options: Option[]; required?: boolean; defaultValue?: string }) {
  const { state, name, label, hint, options } = props;
  const error = errorFor(state, name);
  const current = valueOf(state, name) || props.defaultValue || '';
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <Describe name={name} hint={hint} error={error} />
      <select id={name} name={name} required={props.required} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(name, hint, error)}>
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === current}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

/** Radio buttons or checkboxes in a fieldset; the legend is the question. */
export function ChoiceGroup(props: {
  state: FormState;
  name: string;
  legend: string;
  hint?: string;
  options: Option[];
  multiple?: boolean;
  defaultValue?: string;
  children?: ComponentChildren;
}) {
  const { state, name, legend, hint, options, multiple } = props;
  const error = errorFor(state, name);
  const chosen = listOf(state, name);
  const selected = chosen.length ? chosen : props.defaultValue ? [props.defaultValue] : [];
  return (
    <fieldset id={name} aria-describedby={describedBy(name, hint, error)}>
      <legend>{legend}</legend>
      <Describe name={name} hint={hint} error={error} />
      {options.map((o, i) => (
        <label class="choice" key={o.value}>
          <input id={`${name}-${i}`} type={multiple ? 'checkbox' : 'radio'} name={name} value={o.value} checked={selected.includes(o.value)} />
          <span>{o.label}</span>
        </label>
      ))}
      {props.children}
    </fieldset>
  );
}
