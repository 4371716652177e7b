/** One published version of a public page in one locale (the file on disk is revision 0). */
export type PageRevisionRow = {
  id: string;
  locale: string;
  slug: string;
  revision: number;
  title: string;
  summary: string;
  body: string;
  authorId: string | null;
  authorLabel: string;
  createdAt: string;
  restoredFrom: number | null;
};

/** A revision without its text: what history lists and the overview need. */
export type RevisionInfo = Omit<PageRevisionRow, 'body' | 'summary'>;

export type PagesTables = {
  pageRevisions: PageRevisionRow;
  contentVersions: { name: string; version: number };
};
