import { z } from 'zod';
import { optionalText } from '../../../core/http/forms.ts';

const label = z.string().trim().min(1).max(60).regex(/^[^\p{Cc}]*$/u, 'mailing.topics.errors.oneLine');

export const topicFormSchema = z.object({ labelEn: label, labelEs: optionalText(60) });
export type TopicForm = z.output<typeof topicFormSchema>;

export const TOPIC_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const newTopicSchema = topicFormSchema.extend({ key: z.string().trim().toLowerCase().max(40).regex(TOPIC_KEY, 'mailing.topics.errors.keyFormat') });

export const editTopicSchema = topicFormSchema.extend({ active: z.preprocess((v) => v === 'on' || v === '1', z.boolean()) });

export const topicKeySchema = z.object({ key: z.string().max(40).regex(TOPIC_KEY) });

export const topicsNoticeQuery = z.object({ notice: z.enum(['created', 'updated']).optional().catch(undefined) });
