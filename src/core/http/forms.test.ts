import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkbox, checkboxes, optionalText, parseForm } from './forms.ts';

const schema = z.object({
  name: z.string().trim().min(1).max(10),
  email: z.email(),
  kind: z.enum(['a', 'b']),
  note: optionalText(20),
  signs: checkboxes(z.enum(['x', 'y'])),
  agree: checkbox(),
  password: z.string().min(12, 'accounts.errors.passwordTooShort'),
});

describe('parseForm', () => {
  it('returns typed data on success', () => {
    const result = parseForm(schema, { name: ' Ana ', email: 'a@example.org', kind: 'a', note: '', signs: 'x', agree: 'on', password: 'correct horse battery' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.data).toEqual({ name: 'Ana', email: 'a@example.org', kind: 'a', note: undefined, signs: ['x'], agree: true, password: 'correct horse battery' });
  });

  it('gives one translatable message per field and keeps every value as typed', () => {
    const body = { name: '', email: 'nope', kind: 'z', note: 'n'.repeat(30), signs: ['x', 'q'], password: 'short' };
    const result = parseForm(schema, body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.values).toEqual(body);
    expect(result.errors).toEqual({
      name: { key: 'common.form.required' },
      email: { key: 'common.form.invalidEmail' },
      kind: { key: 'common.form.invalidChoice' },
      note: { key: 'common.form.tooLong', params: { max: 20 } },
      'signs.1': { key: 'common.form.invalidChoice' },
      password: { key: 'accounts.errors.passwordTooShort' },
    });
  });

  it('ignores fields that are not text', () => {
    const result = parseForm(z.object({ a: z.string().optional() }), { a: 'x', file: { data: 1 } });
    expect(result.values).toEqual({ a: 'x' });
  });
});

describe('parseForm and reserved field names', () => {
  const schema = z.object({ name: z.string() });
  const RESERVED = ['__proto__', 'constructor', 'toString'];
  it('refuses a body carrying a reserved field name, keeping the other values', () => {
    for (const name of RESERVED) {
      const body = Object.create(null) as Record<string, string>;
      body.name = 'Ana';
      body[name] = 'x';
      const result = parseForm(schema, body);
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.errors._form).toEqual({ key: 'common.form.reservedName' });
      expect(result.values).toEqual({ name: 'Ana' });
      expect(Object.getPrototypeOf(result.values)).toBe(Object.prototype);
    }
  });
});
