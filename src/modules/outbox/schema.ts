import { z } from 'zod';

/** `?page=` on the list; anything that is not a page number shows the first page. */
export const listQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

export const messageParams = z.object({ id: z.string().min(1).max(200) });
