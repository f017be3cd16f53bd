import { describe, expect, it } from 'vitest';
import { formatDuration, HOLD_MIN_MS, IDLE, pickRecordingType, playerDuration, recorderStep, recordingExtension, refusalReason, type RecorderEvent, type RecorderState } from './voice.ts';

/** Runs events from idle, returning the last state and every effect on the way. */
function run(...events: RecorderEvent[]): { state: RecorderState; effects: string[] } {
	let state = IDLE;
	const effects: string[] = [];
	for (const event of events) {
		const next = recorderStep(state, event);
		state = next.state;
		if (next.effect) effects.push(next.effect);
	}
	return { state, effects };
}

describe('formatDuration', () => {
	it('shows minutes and seconds, hours when there are some', () => {
		expect(formatDuration(0)).toBe('0:00');
		expect(formatDuration(7_900)).toBe('0:07');
		expect(formatDuration(65_000)).toBe('1:05');
		expect(formatDuration(3_723_000)).toBe('1:02:03');
		expect(formatDuration(Infinity)).toBe('0:00');
		expect(formatDuration(Number.NaN)).toBe('0:00');
	});
});

describe('recording type', () => {
	it('prefers Opus in WebM, then Ogg, then what Safari has', () => {
		expect(pickRecordingType(() => true)).toBe('audio/webm;codecs=opus');
		expect(pickRecordingType((t) => t.startsWith('audio/ogg'))).toBe('audio/ogg;codecs=opus');
		expect(pickRecordingType((t) => t === 'audio/mp4')).toBe('audio/mp4');
		expect(pickRecordingType(() => false)).toBe('');
		expect(recordingExtension('audio/webm;codecs=opus')).toBe('webm');
		expect(recordingExtension('audio/mp4')).toBe('m4a');
		expect(recordingExtension('')).toBe('webm');
	});
});

describe('recorderStep', () => {
	it('click: asks for the microphone, records, sends on Send', () => {
		expect(run({ type: 'press', hold: false })).toEqual({ state: { phase: 'asking', hold: false }, effects: ['start'] });
		expect(run({ type: 'press', hold: false }, { type: 'granted', at: 1000 }).state).toEqual({ phase: 'recording', startedAt: 1000, hold: false });
		expect(run({ type: 'press', hold: false }, { type: 'granted', at: 1000 }, { type: 'send' })).toEqual({ state: IDLE, effects: ['start', 'send'] });
	});

	it('a release does nothing to a click recording', () => {
		expect(run({ type: 'press', hold: false }, { type: 'granted', at: 0 }, { type: 'release', at: 5000 }).state.phase).toBe('recording');
	});

	it('hold: letting go after a while sends; a short tap keeps recording until Send', () => {
		expect(run({ type: 'press', hold: true }, { type: 'granted', at: 0 }, { type: 'release', at: HOLD_MIN_MS })).toEqual({ state: IDLE, effects: ['start', 'send'] });
		const tapped = run({ type: 'press', hold: true }, { type: 'granted', at: 0 }, { type: 'release', at: HOLD_MIN_MS - 1 });
		expect(tapped.state).toEqual({ phase: 'recording', startedAt: 0, hold: false });
		expect(tapped.effects).toEqual(['start']);
	});

	it('letting go while the browser still asks turns a hold into a click recording', () => {
		expect(run({ type: 'press', hold: true }, { type: 'release', at: 50 }, { type: 'granted', at: 3000 }).state).toEqual({ phase: 'recording', startedAt: 3000, hold: false });
	});

	it('cancel throws the recording away; a microphone given after cancelling is let go', () => {
		expect(run({ type: 'press', hold: false }, { type: 'granted', at: 0 }, { type: 'cancel' })).toEqual({ state: IDLE, effects: ['start', 'discard'] });
		expect(run({ type: 'press', hold: false }, { type: 'cancel' }, { type: 'granted', at: 10 })).toEqual({ state: IDLE, effects: ['start', 'discard', 'discard'] });
	});

	it('a refusal says why, and pressing again asks again', () => {
		expect(run({ type: 'press', hold: false }, { type: 'refused', reason: 'denied' }).state).toEqual({ phase: 'denied' });
		expect(run({ type: 'press', hold: false }, { type: 'refused', reason: 'denied' }, { type: 'press', hold: false })).toEqual({ state: { phase: 'asking', hold: false }, effects: ['start', 'start'] });
	});

	it('ignores a second press, and Send or Cancel with nothing recording', () => {
		expect(run({ type: 'press', hold: false }, { type: 'press', hold: true }).effects).toEqual(['start']);
		expect(run({ type: 'send' })).toEqual({ state: IDLE, effects: [] });
		expect(run({ type: 'cancel' })).toEqual({ state: IDLE, effects: [] });
	});

	it('names the reason for a failed getUserMedia', () => {
		expect(refusalReason(new DOMException('', 'NotAllowedError'))).toBe('denied');
		expect(refusalReason(new DOMException('', 'NotFoundError'))).toBe('no-microphone');
		expect(refusalReason(new Error('x'))).toBe('failed');
		expect(refusalReason(null)).toBe('failed');
	});
});

describe('playerDuration', () => {
	it('uses the element’s duration when known, else the recorded one', () => {
		expect(playerDuration(12.5, 3000)).toBe(12.5);
		expect(playerDuration(Infinity, 3000)).toBe(3);
		expect(playerDuration(Number.NaN, undefined)).toBe(0);
	});
});
