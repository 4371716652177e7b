import { z } from 'zod';
import { checkbox, optionalText } from '../../../core/http/forms.ts';

export const registrationFormSchema = z.object({
  name: z.string().trim().min(1, 'events.errors.name').max(200),
  email: z.string().trim().max(254).pipe(z.email('events.errors.email')),
  organization: optionalText(200),
  accessibility: optionalText(2000),
  consent: checkbox(),
});
export type RegistrationForm = z.output<typeof registrationFormSchema>;

export const eventParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
export const cancelParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) });
export const registeredQuery = z.object({ as: z.enum(['registered', 'waitlisted']).optional().catch(undefined) });
