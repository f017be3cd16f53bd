import type { TimelineEvent } from '#lib/rooms/types.ts';
import type { Locale } from '#lib/i18n/locale.ts';
import { getLocale } from '#lib/paraglide/runtime.js';
import { m } from '#lib/paraglide/messages.js';

/** A call's length in words: "45 seconds", "12 minutes", "1 hr 5 min". */
export function callLength(ms: number, locale: Locale = getLocale()): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	const unit = (value: number, name: 'second' | 'minute' | 'hour', unitDisplay: 'long' | 'short' = 'long') => new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay }).format(value);
	if (seconds < 60) return unit(seconds, 'second');
	const minutes = Math.round(seconds / 60);
	if (minutes < 60) return unit(minutes, 'minute');
	const rest = minutes % 60;
	const hours = unit(Math.floor(minutes / 60), 'hour', 'short');
	return rest ? new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' }).format([hours, unit(rest, 'minute', 'short')]) : hours;
}

/** What a timeline event says, from where I stand (my own doings are "You ..."). */
export function timelineText(event: TimelineEvent, me: string, locale: Locale = getLocale()): string {
	const mine = event.actorId === me;
	const name = event.actorName;
	const options = { locale };
	switch (event.kind) {
		case 'created':
			return mine ? m.timeline_created_you({}, options) : m.timeline_created({ name }, options);
		case 'joined':
			return mine ? m.timeline_joined_you({}, options) : m.timeline_joined({ name }, options);
		case 'left':
			return mine ? m.timeline_left_you({}, options) : m.timeline_left({ name }, options);
		case 'removed':
			return mine ? m.timeline_removed_you({ target: event.targetName }, options) : m.timeline_removed({ name, target: event.targetName }, options);
		case 'renamed':
			return mine ? m.timeline_renamed_you({ room: event.detail ?? '' }, options) : m.timeline_renamed({ name, room: event.detail ?? '' }, options);
		case 'call-started':
			return mine ? m.timeline_call_started_you({}, options) : m.timeline_call_started({ name }, options);
		case 'call-ended':
			return m.timeline_call_ended({ length: callLength(Number(event.detail ?? 0), locale) }, options);
	}
}
