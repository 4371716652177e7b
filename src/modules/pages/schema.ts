import { z } from 'zod';
import { isPageSlug, type PageSlug } from './content.ts';

/** `/console/content/:locale/:slug`: a locale the catalogs know and a page the site has. */
export const pageParamsSchema = (locales: readonly string[]) =>
  z.object({
    locale: z.string().refine((l) => locales.includes(l)),
    slug: z.string().refine(isPageSlug).transform((s) => s as PageSlug),
  });

export const revisionParamsSchema = (locales: readonly string[]) =>
  pageParamsSchema(locales).extend({ revision: z.coerce.number().int().min(0).max(1_000_000) });

/** One line of plain text: no line breaks or control characters (they would break front matter and feeds). */
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'content.errors.oneLine');

export const PAGE_BODY_MAX = 100_000;

/** The page editor. `base` is the revision the editor started from, to catch a colleague's publish in between. */
export const pageFormSchema = z.object({
  action: z.enum(['preview', 'publish']).catch('preview'),
  base: z.coerce.number().int().min(0),
  title: line(200),
  summary: line(300),
  // Carriage returns from the browser's textarea become plain newlines: Markdown does not need them.
  body: z.string().transform((b) => b.replace(/\r\n?/g, '\n')).pipe(z.string().trim().min(1).max(PAGE_BODY_MAX)),
});

export type PageFormInput = z.output<typeof pageFormSchema>;

/** `?notice=` after a publish or restore in the editor; anything else is ignored. */
export const editorNoticeQuery = z.object({ notice: z.enum(['published', 'unchanged', 'restored']).optional().catch(undefined) });
