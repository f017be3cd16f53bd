import { describe, expect, it } from 'vitest';
import { decodingVideo, QualityMeter, readInbound, sendersOf, STATS_MS, type Stat } from './rtc-stats.ts';

const report = (...stats: Stat[]) => new Map(stats.map((s, i) => [String(i), s]));
const pair: Stat = { type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.04 };

describe('reading WebRTC stats', () => {
	it('sums inbound streams per device, with the nominated pair’s round trip and the loudest audio', () => {
		const stats = report(
			pair,
			{ type: 'candidate-pair', state: 'failed', nominated: false, currentRoundTripTime: 9 },
			{ type: 'inbound-rtp', kind: 'audio', mid: '0', packetsLost: 1, packetsReceived: 99, bytesReceived: 500, audioLevel: 0.3 },
			{ type: 'inbound-rtp', kind: 'video', mid: '1', packetsLost: 2, packetsReceived: 198, bytesReceived: 10_000 },
			{ type: 'inbound-rtp', kind: 'video', mid: '2', packetsReceived: 50, bytesReceived: 7000 },
			{ type: 'outbound-rtp', kind: 'video', mid: '3', bytesReceived: 1 }
		);
		// The SFU path: mids 0 and 1 are Ann's camera feed, mid 2 a screen it leaves out.
		const { rtt, devices } = readInbound(stats, (s) => (s.mid === '2' ? null : 'ann'));
		expect(rtt).toBe(0.04);
		expect([...devices]).toEqual([['ann', { lost: 3, received: 297, bytes: 10_000, level: 0.3 }]]);
		expect(readInbound(report(), () => 'x')).toEqual({ rtt: undefined, devices: new Map() });
	});

	it('counts video as arrived only once frames decode', () => {
		const stats = report(
			{ type: 'inbound-rtp', kind: 'video', mid: 'a', framesDecoded: 3 },
			{ type: 'inbound-rtp', kind: 'video', mid: 'b', framesDecoded: 0 },
			{ type: 'inbound-rtp', kind: 'audio', mid: 'c', framesDecoded: 5 },
			{ type: 'inbound-rtp', kind: 'video', mid: 'd', framesDecoded: 1 }
		);
		expect(decodingVideo(stats, (s) => (s.mid === 'd' ? null : s.mid!))).toEqual(new Set(['a']));
	});

	it('scores quality from the change since the last reading (bitrate and loss), per device', () => {
		const meter = new QualityMeter();
		expect(meter.score('ann', { lost: 0, received: 100, bytes: 0, level: 0 }, undefined, true)).toBe('unknown');
		// 600 kb/s of video is plenty; 1 kB in STATS_MS is a frozen picture, but fine with the camera off.
		const plenty = (600_000 / 8) * (STATS_MS / 1000);
		expect(meter.score('ann', { lost: 0, received: 200, bytes: plenty, level: 0 }, 0.05, true)).toBe('good');
		expect(meter.score('ann', { lost: 0, received: 300, bytes: plenty + 1000, level: 0 }, 0.05, true)).toBe('poor');
		expect(meter.score('ann', { lost: 0, received: 400, bytes: plenty + 2000, level: 0 }, 0.05, false)).toBe('good');
		expect(meter.score('ann', { lost: 50, received: 450, bytes: plenty + 3000, level: 0 }, 0.05, false)).toBe('poor');
		meter.forget('ann');
		expect(meter.score('ann', { lost: 50, received: 500, bytes: 0, level: 0 }, undefined, true)).toBe('unknown');
	});

	it('finds the senders of a kind, a video sender without a track included', () => {
		const [audio, video, bare] = [{ track: { kind: 'audio' } }, { track: { kind: 'video' } }, { track: null }];
		const pc = { getSenders: () => [audio, video, bare] } as unknown as RTCPeerConnection;
		expect(sendersOf(pc, 'audio')).toEqual([audio]);
		expect(sendersOf(pc, 'video')).toEqual([video, bare]);
		expect(sendersOf(undefined, 'video')).toEqual([]);
	});
});
