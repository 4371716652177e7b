import type { Context } from '../../../core/context.ts';
import type { Db } from '../../../database.ts';
import type { MailingTopicRow } from '../tables.ts';
import * as repo from './repo.ts';
import type { TopicForm } from './schema.ts';

/** A topic as pages show it: its key, its label in each locale, and whether it is offered. */
export type Topic = { key: string; labels: Record<string, string>; active: boolean };

const toTopic = (row: MailingTopicRow): Topic => ({ key: row.key, labels: JSON.parse(row.labels) as Record<string, string>, active: row.active === 1 });

/** The label in `locale`, else in English, else the key: a topic added with one label still reads. */
export const topicLabel = (topic: Topic, locale: string) => topic.labels[locale] || topic.labels.en || topic.key;

export async function allTopics(db: Db): Promise<Topic[]> {
  return (await repo.listTopics(db)).map(toTopic);
}

/** The topics a subscriber may choose now, in the administrators' order. */
export async function offeredTopics(db: Db): Promise<Topic[]> {
  return (await allTopics(db)).filter((t) => t.active);
}

const labelsOf = (form: TopicForm) => JSON.stringify({ en: form.labelEn, ...(form.labelEs ? { es: form.labelEs } : {}) });

/** Adds a topic; false when its key is taken (the form says so). */
export async function createTopic(ctx: Context, form: TopicForm & { key: string }): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const created = await repo.insertTopic(trx, { key: form.key, labels: labelsOf(form), active: 1, createdAt: ctx.clock.now().toISOString() });
    if (created) await ctx.audit(trx, { action: 'mailing.topic_create', targetType: 'mailing_topic', targetId: form.key, detail: { labelEn: form.labelEn } });
    return created;
  });
}

/** Renames a topic or stops offering it; subscribers keep it (a retired topic simply gets no new ones). */
export async function updateTopic(ctx: Context, key: string, form: TopicForm & { active: boolean }): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await repo.updateTopic(trx, key, { labels: labelsOf(form), active: form.active ? 1 : 0 });
    if (updated) await ctx.audit(trx, { action: 'mailing.topic_update', targetType: 'mailing_topic', targetId: key, detail: { labelEn: form.labelEn, active: form.active } });
    return updated;
  });
}

export async function topicsWithCounts(ctx: Context): Promise<(Topic & { subscribers: number })[]> {
  const [topics, counts] = await Promise.all([allTopics(ctx.db), repo.confirmedCounts(ctx.db)]);
  return topics.map((t) => ({ ...t, subscribers: counts.get(t.key) ?? 0 }));
}

export async function topicForEdit(ctx: Context, key: string): Promise<Topic | undefined> {
  const row = await repo.findTopic(ctx.db, key);
  return row ? toTopic(row) : undefined;
}
