/**
 * Voice messages, the parts without a browser: the recording's type, its state as a reducer
 * (click to record, or hold on a touch screen and let go to send), and times as people read them.
 */

/** Opus in WebM where the browser records it (Chromium, Firefox), else Opus in Ogg, else what Safari records. */
export const RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4'] as const;

/** The first recording type the browser supports, or '' to let it choose. */
export function pickRecordingType(isTypeSupported: (type: string) => boolean): string {
	return RECORDING_TYPES.find((type) => isTypeSupported(type)) ?? '';
}

/** The file name ending for a recorded type ("audio/webm;codecs=opus" → "webm"). */
export function recordingExtension(type: string): string {
	const subtype = type.split(';')[0]!.split('/')[1] ?? '';
	return subtype === 'mp4' ? 'm4a' : subtype || 'webm';
}

/** "0:07", "1:05", "1:02:03": whole seconds, rounded down; "0:00" for an unknown time. */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) return '0:00';
	const total = Math.floor(ms / 1000);
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const seconds = String(total % 60).padStart(2, '0');
	return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** A press held at least this long on a touch screen records while held and sends on release; a shorter one is a tap. */
export const HOLD_MIN_MS = 400;

export type RecorderState =
	| { phase: 'idle' }
	/** Waiting for the microphone (the browser may be asking the person). */
	| { phase: 'asking'; hold: boolean }
	| { phase: 'recording'; startedAt: number; hold: boolean }
	| { phase: 'denied' }
	| { phase: 'no-microphone' }
	| { phase: 'failed' };

export type RecorderEvent =
	| { type: 'press'; hold: boolean }
	| { type: 'granted'; at: number }
	| { type: 'refused'; reason: 'denied' | 'no-microphone' | 'failed' }
	| { type: 'release'; at: number }
	| { type: 'send' }
	| { type: 'cancel' };

/** What the component does after a step: ask for the microphone, send what was recorded, or throw it away. */
export type RecorderEffect = 'start' | 'send' | 'discard' | undefined;

export const IDLE: RecorderState = { phase: 'idle' };

export function recorderStep(state: RecorderState, event: RecorderEvent): { state: RecorderState; effect?: RecorderEffect } {
	switch (event.type) {
		case 'press':
			if (state.phase === 'asking' || state.phase === 'recording') return { state };
			return { state: { phase: 'asking', hold: event.hold }, effect: 'start' };
		case 'granted':
			// Cancelled while the browser was asking: the microphone it now gives is let go at once.
			if (state.phase !== 'asking') return { state, effect: 'discard' };
			return { state: { phase: 'recording', startedAt: event.at, hold: state.hold } };
		case 'refused':
			return state.phase === 'asking' ? { state: { phase: event.reason } } : { state };
		case 'release':
			if (state.phase === 'asking' && state.hold) return { state: { phase: 'asking', hold: false } };
			if (state.phase !== 'recording' || !state.hold) return { state };
			if (event.at - state.startedAt >= HOLD_MIN_MS) return { state: IDLE, effect: 'send' };
			return { state: { ...state, hold: false } };
		case 'send':
			return state.phase === 'recording' ? { state: IDLE, effect: 'send' } : { state };
		case 'cancel':
			return state.phase === 'recording' || state.phase === 'asking' ? { state: IDLE, effect: 'discard' } : { state };
	}
}

/** Why getUserMedia failed, as the recorder tells the person. */
export function refusalReason(error: unknown): 'denied' | 'no-microphone' | 'failed' {
	const name = (error as { name?: string } | null)?.name;
	if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
	if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-microphone';
	return 'failed';
}

/**
 * A recording's length in seconds for the player: the element's when it knows it (Chromium's
 * MediaRecorder WebM has no duration until played through, so it says Infinity), else the
 * duration recorded with the message.
 */
export function playerDuration(elementSeconds: number, durationMs: number | undefined): number {
	if (Number.isFinite(elementSeconds) && elementSeconds > 0) return elementSeconds;
	return durationMs !== undefined && durationMs > 0 ? durationMs / 1000 : 0;
}
