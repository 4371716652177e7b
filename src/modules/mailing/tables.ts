export const SUBSCRIBER_STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/** A topic a subscriber may choose; `labels` is JSON, one label per locale. Retired topics stay, inactive. */
export type MailingTopicRow = { key: string; labels: string; position: number; active: number; createdAt: string };

/**
 * One address on the list. `pending` until its first link is followed; the `request*` columns
 * hold the latest request waiting for its link (topics as JSON, the nonce that makes the link
 * single-use), cleared when it is confirmed.
 */
export type MailingSubscriberRow = {
  id: string;
  email: string;
  name: string;
  locale: string;
  status: SubscriberStatus;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
  requestTopics: string | null;
  requestLocale: string | null;
  requestName: string | null;
  requestWording: string | null;
  requestForm: string | null;
  requestNonce: string | null;
  requestSentAt: string | null;
  preferencesNonce: string;
};

export type MailingSubscriberTopicRow = { subscriberId: string; topicKey: string };

/** A form post not yet looked at: the job that reads it decides what, if anything, is sent. */
export type MailingSignupRow = { id: string; email: string; name: string; locale: string; topics: string; wordingHash: string; form: string; createdAt: string };

/** The exact consent text a form showed, by its SHA-256. */
export type MailingWordingRow = { hash: string; locale: string; text: string; createdAt: string };

/** Evidence of one confirmed consent: when, through which form, to which wording, for which topics. */
export type MailingConsentRow = { id: string; subscriberId: string; givenAt: string; form: string; wordingHash: string; topics: string; locale: string };

export type MailingTables = {
  mailingTopics: MailingTopicRow;
  mailingSubscribers: MailingSubscriberRow;
  mailingSubscriberTopics: MailingSubscriberTopicRow;
  mailingSignups: MailingSignupRow;
  mailingWordings: MailingWordingRow;
  mailingConsents: MailingConsentRow;
};
