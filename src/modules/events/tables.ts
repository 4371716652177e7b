/** Sectors a training request names its audience by (the office's outreach report counts these). */
export const SECTORS = ['school', 'hotel', 'health_care', 'faith', 'business', 'law_enforcement', 'community', 'other'] as const;
export type Sector = (typeof SECTORS)[number];

export const FORMATS = ['in_person', 'online'] as const;
export type TrainingFormat = (typeof FORMATS)[number];

export const TRAINING_TOPICS = ['basics', 'labor', 'sex', 'youth', 'signs', 'reporting', 'map1193'] as const;

export const REQUEST_STATUSES = ['submitted', 'triaged', 'scheduled', 'delivered', 'closed', 'declined'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export type TrainingRequestRow = {
  id: string;
  reference: string;
  status: RequestStatus;
  organization: string;
  sector: Sector;
  audienceSize: number;
  audienceAges: string;
  format: TrainingFormat;
  city: string;
  /** JSON array of up to three YYYY-MM-DD days, in the order the requester preferred them. */
  preferredDates: string;
  language: string;
  /** JSON array of TRAINING_TOPICS the requester ticked. */
  topics: string;
  accessibility: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  locale: string;
  declineReason: string | null;
  trainerId: string | null;
  eventId: string | null;
  createdAt: string;
  touchedAt: string;
};

export type TrainingRequestNoteRow = {
  id: string;
  requestId: string;
  authorId: string | null;
  authorLabel: string;
  body: string;
  createdAt: string;
};

export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export type EventRow = {
  id: string;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  location: string;
  online: number;
  /** Only ever in registrants' e-mails: never on a public page or in a feed. */
  meetingUrl: string;
  language: string;
  capacity: number;
  listed: number;
  status: EventStatus;
  sequence: number;
  lastPosition: number;
  requestId: string | null;
  createdAt: string;
  updatedAt: string;
};

/**
 * A participant's statuses (after CiviEvent's): registered and waitlisted at arrival, offered a
 * freed seat for a while, cancelled by themselves or the office, attended or no-show after.
 */
export const PARTICIPANT_STATUSES = ['registered', 'waitlisted', 'offered', 'cancelled', 'attended', 'no_show'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

export type RegistrationRow = {
  id: string;
  eventId: string;
  position: number;
  status: ParticipantStatus;
  name: string;
  email: string;
  organization: string;
  accessibility: string;
  consent: number;
  locale: string;
  cancelHash: string;
  offerExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type EventsTables = {
  eventRegistrations: RegistrationRow;
  trainingRequests: TrainingRequestRow;
  trainingRequestNotes: TrainingRequestNoteRow;
  events: EventRow;
};
