export const NEWS_STATUSES = ['draft', 'published'] as const;
export type NewsStatus = (typeof NEWS_STATUSES)[number];

/** A news post in one locale. Only `published` posts are ever shown to the public. */
export type NewsPostRow = {
  id: string;
  locale: string;
  slug: string;
  title: string;
  summary: string;
  body: string;
  status: NewsStatus;
  publishedAt: string | null;
  authorId: string | null;
  authorLabel: string;
  createdAt: string;
  updatedAt: string;
};

export type NewsTables = { newsPosts: NewsPostRow };
