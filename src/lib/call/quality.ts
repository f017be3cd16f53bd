/** Connection quality from WebRTC stats: round-trip time, packet loss and bitrate → good / fair / poor. */
export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export type QualitySample = {
	/** Round-trip time in seconds (candidate pair `currentRoundTripTime`). */
	rttSeconds?: number;
	/** Fraction of packets lost since the previous sample, 0–1. */
	lossFraction?: number;
	/** Receive bitrate in bits per second, for video that should be flowing. */
	bitrateBps?: number;
	/** Whether video is expected (camera on at the other end). */
	expectVideo?: boolean;
};

/** Thresholds as data: the first row a sample is worse than decides. */
export const QUALITY_THRESHOLDS = {
	poor: { rttSeconds: 0.5, lossFraction: 0.1, minVideoBps: 50_000 },
	// Small video (Data saver: 320×240 at 15 fps) is fine from about 120 kb/s.
	fair: { rttSeconds: 0.25, lossFraction: 0.03, minVideoBps: 120_000 }
} as const;

export function scoreQuality(sample: QualitySample): Quality {
	const { rttSeconds, lossFraction, bitrateBps, expectVideo } = sample;
	if (rttSeconds === undefined && lossFraction === undefined && bitrateBps === undefined) return 'unknown';
	const worseThan = (level: keyof typeof QUALITY_THRESHOLDS) => {
		const t = QUALITY_THRESHOLDS[level];
		return (
			(rttSeconds !== undefined && rttSeconds > t.rttSeconds) ||
			(lossFraction !== undefined && lossFraction > t.lossFraction) ||
			(expectVideo === true && bitrateBps !== undefined && bitrateBps < t.minVideoBps)
		);
	};
	if (worseThan('poor')) return 'poor';
	if (worseThan('fair')) return 'fair';
	return 'good';
}

/** Loss between two cumulative stats readings (packetsLost / packetsReceived), 0–1. */
export function lossBetween(before: { lost: number; received: number }, after: { lost: number; received: number }): number {
	const lost = Math.max(0, after.lost - before.lost);
	const received = Math.max(0, after.received - before.received);
	return lost + received === 0 ? 0 : lost / (lost + received);
}
