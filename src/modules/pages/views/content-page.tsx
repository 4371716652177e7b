import { Layout } from '../../../core/views/layout.tsx';

export type ContentPageProps = { title: string; summary: string; html: string };

/** A page written in Markdown; `html` comes only from the sanitising Markdown helper. */
export function ContentPage({ title, summary, html }: ContentPageProps) {
  return (
    <Layout title={title} description={summary}>
      <article class="prose">
        <h1>{title}</h1>
        <div dangerouslySetInnerHTML={{ __html: html }} />
      </article>
    </Layout>
  );
}

export const sampleContentPageProps: ContentPageProps = {
  title: 'What is human trafficking?',
  summary: 'Sex and labor trafficking explained.',
  html: '<p>Human trafficking takes two main forms.</p>',
};
