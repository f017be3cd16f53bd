/**
 * One reader of WebRTC stats for both paths (mesh links and the SFU subscription): received
 * packets, bytes and loudness summed per remote device, the video being decoded, and the quality
 * that follows from two readings. A path only says which device an inbound stream belongs to.
 */
import { lossBetween, scoreQuality, type Quality } from './quality.ts';

/** How often quality is read (the bitrate is the bytes between two readings). */
export const STATS_MS = 2000;

/** The fields of a stats record that are read here. */
export type Stat = {
	type?: string;
	state?: string;
	nominated?: boolean;
	currentRoundTripTime?: number;
	kind?: string;
	mid?: string;
	packetsLost?: number;
	packetsReceived?: number;
	bytesReceived?: number;
	audioLevel?: number;
	framesDecoded?: number;
};

/** What is read of an `RTCStatsReport` (a `Map` of plain records in tests). */
export type StatsReport = { forEach(callback: (stat: Stat) => void): void };

/** An inbound RTP stream's device, or null to leave it out. */
export type DeviceOf = (inbound: { mid?: string; kind?: string }) => string | null;

export type InboundSample = { lost: number; received: number; bytes: number; level: number };

/** Inbound RTP summed per device, and the round-trip time of the nominated candidate pair. */
export function readInbound(report: StatsReport, deviceOf: DeviceOf): { rtt: number | undefined; devices: Map<string, InboundSample> } {
	let rtt: number | undefined;
	const devices = new Map<string, InboundSample>();
	report.forEach((s) => {
		if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated) rtt = s.currentRoundTripTime;
		if (s.type !== 'inbound-rtp') return;
		const device = deviceOf(s);
		if (device === null) return;
		const sum = devices.get(device) ?? { lost: 0, received: 0, bytes: 0, level: 0 };
		sum.lost += s.packetsLost ?? 0;
		sum.received += s.packetsReceived ?? 0;
		if (s.kind === 'video') sum.bytes += s.bytesReceived ?? 0;
		if (s.kind === 'audio') sum.level = Math.max(sum.level, s.audioLevel ?? 0);
		devices.set(device, sum);
	});
	return { rtt, devices };
}

/** Devices whose video is being decoded (not merely announced): safe to switch over to. */
export function decodingVideo(report: StatsReport, deviceOf: DeviceOf): Set<string> {
	const devices = new Set<string>();
	report.forEach((s) => {
		if (s.type !== 'inbound-rtp' || s.kind !== 'video' || !((s.framesDecoded ?? 0) > 0)) return;
		const device = deviceOf(s);
		if (device !== null) devices.add(device);
	});
	return devices;
}

/** Scores each device's link from the change since its previous reading. */
export class QualityMeter {
	readonly #before = new Map<string, InboundSample>();

	score(device: string, sample: InboundSample, rtt: number | undefined, expectVideo: boolean): Quality {
		const before = this.#before.get(device);
		this.#before.set(device, sample);
		const bitrate = before ? (((sample.bytes - before.bytes) * 8) / STATS_MS) * 1000 : undefined;
		return scoreQuality({ rttSeconds: rtt, lossFraction: before ? lossBetween(before, sample) : undefined, bitrateBps: bitrate, expectVideo });
	}

	/** A new link to this device: its counters start again. */
	forget(device: string) {
		this.#before.delete(device);
	}
}

/** The senders of `kind` on a connection (a video sender whose track was removed still counts as video), for swapping tracks without renegotiating. */
export function sendersOf(pc: RTCPeerConnection | undefined | null, kind: 'audio' | 'video'): RTCRtpSender[] {
	return pc?.getSenders().filter((s) => s.track?.kind === kind || (s.track === null && kind === 'video')) ?? [];
}
