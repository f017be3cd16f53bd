import { describe, expect, it } from 'vitest';
import { activeSpeaker, SPEAKING_LEVEL } from './active-speaker.ts';

const mesh = (peerId: string, audioLevel: number) => ({ peerId, audioLevel });
const sfu = (peerId: string, talking: boolean) => ({ peerId, audioLevel: 0, talking, viaSfu: true });

describe('activeSpeaker', () => {
	it('is nobody when no one is in the call or everyone is quiet', () => {
		expect(activeSpeaker([])).toBeNull();
		expect(activeSpeaker([mesh('a', 0), mesh('b', SPEAKING_LEVEL)])).toBeNull();
	});

	it('is the loudest peer-to-peer stream above the noise floor', () => {
		expect(activeSpeaker([mesh('a', 0.2), mesh('b', 0.6), mesh('c', 0.1)])).toBe('b');
		expect(activeSpeaker([mesh('a', SPEAKING_LEVEL + 0.01)])).toBe('a');
	});

	it('on the SFU, follows the talking events and ignores the (unmeasured) level', () => {
		expect(activeSpeaker([{ ...sfu('a', false), audioLevel: 0.9 }, sfu('b', true)])).toBe('b');
		expect(activeSpeaker([sfu('a', false), sfu('b', false)])).toBeNull();
	});

	it('during a switch, someone talking on the SFU outranks any mesh level, and ties go to the first', () => {
		expect(activeSpeaker([mesh('a', 0.95), sfu('b', true)])).toBe('b');
		expect(activeSpeaker([sfu('a', true), sfu('b', true)])).toBe('a');
	});
});
