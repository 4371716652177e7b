import { z } from 'zod';

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const NEWS_BODY_MAX = 100_000;

/** One line of plain text: no line breaks or control characters (they have no place in a feed title). */
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'content.errors.oneLine');

/** The post editor; an empty address is made from the title. */
export const newsFormSchema = z.object({
  action: z.enum(['preview', 'save', 'publish']).catch('preview'),
  slug: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().toLowerCase()) : v),
    z.string().max(80).regex(SLUG, 'content.newsConsole.errors.slugFormat').optional(),
  ),
  title: line(200),
  summary: line(300),
  body: z.string().transform((b) => b.replace(/\r\n?/g, '\n')).pipe(z.string().trim().min(1).max(NEWS_BODY_MAX)),
});

/** A new post also chooses its language, which then stays. */
export const newPostFormSchema = (locales: readonly string[]) =>
  newsFormSchema.extend({ locale: z.string().refine((l) => locales.includes(l), 'common.form.invalidChoice') });

export type NewsFormInput = z.output<typeof newsFormSchema>;
export type NewPostInput = NewsFormInput & { locale: string };

export const postIdSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

export const publicSlugSchema = z.object({ slug: z.string().max(80).regex(SLUG) });

/**
 * `?page=` on the public list; anything else there is ignored. A page number that does not read
 * as one is `null`, which the list answers as a missing page.
 */
export const listQuerySchema = z.object({
  page: z
    .preprocess((v) => (v === undefined || v === '' ? 1 : v), z.coerce.number().int().min(1).max(100_000))
    .nullable()
    .catch(null),
});

/** `?notice=` after a save in the editor; anything else is ignored. */
export const editorNoticeQuery = z.object({ notice: z.enum(['created', 'saved', 'published', 'unpublished']).optional().catch(undefined) });
