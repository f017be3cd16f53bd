import { describe, expect, it } from 'vitest';
import { microphoneConstraints, readCallPreferences, videoSize, writeCallPreference } from './call-preferences.ts';

function memoryStorage(initial: Record<string, string> = {}) {
	const items = new Map(Object.entries(initial));
	return { items, getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
}

describe('call preferences', () => {
	it('are off with no devices when nothing is stored', () => {
		expect(readCallPreferences(memoryStorage())).toEqual({ devices: {}, relayOnly: false, dataSaver: false, noiseSuppression: true, echoCancellation: true });
	});

	it('read back what was written, under the keys the e2e tests and older versions use', () => {
		const storage = memoryStorage();
		writeCallPreference('devices', { audio: 'mic-2', video: 'cam-1', speaker: 'out-3' }, storage);
		writeCallPreference('relayOnly', true, storage);
		writeCallPreference('dataSaver', true, storage);
		expect(Object.fromEntries(storage.items)).toEqual({ 'parley:devices': '{"audio":"mic-2","video":"cam-1","speaker":"out-3"}', 'parley:relay-only': '1', 'parley:data-saver': '1' });
		expect(readCallPreferences(storage)).toEqual({ devices: { audio: 'mic-2', video: 'cam-1', speaker: 'out-3' }, relayOnly: true, dataSaver: true, noiseSuppression: true, echoCancellation: true });
		writeCallPreference('dataSaver', false, storage);
		expect(storage.items.get('parley:data-saver')).toBe('0');
		expect(readCallPreferences(storage).dataSaver).toBe(false);
	});

	it('keep noise suppression and echo cancellation on until turned off, and ask the microphone for them', () => {
		const storage = memoryStorage();
		writeCallPreference('noiseSuppression', false, storage);
		expect(readCallPreferences(storage)).toMatchObject({ noiseSuppression: false, echoCancellation: true });
		expect(microphoneConstraints('mic-2', readCallPreferences(storage), true)).toEqual({ deviceId: { exact: 'mic-2' }, noiseSuppression: false, echoCancellation: true });
		expect(microphoneConstraints(undefined, { noiseSuppression: true, echoCancellation: false })).toEqual({ noiseSuppression: true, echoCancellation: false });
	});

	it('ignore stored devices that are not JSON or not strings', () => {
		expect(readCallPreferences(memoryStorage({ 'parley:devices': '{not json' })).devices).toEqual({});
		expect(readCallPreferences(memoryStorage({ 'parley:devices': 'null' })).devices).toEqual({});
		expect(readCallPreferences(memoryStorage({ 'parley:devices': '{"audio":7,"video":"cam","other":"x"}' })).devices).toEqual({ video: 'cam' });
	});

	it('only "1" turns a switch on', () => {
		expect(readCallPreferences(memoryStorage({ 'parley:relay-only': 'true', 'parley:data-saver': '0' }))).toMatchObject({ relayOnly: false, dataSaver: false });
	});

	it('ask for smaller video with the data saver on', () => {
		expect(videoSize(true)).toEqual({ width: { ideal: 320 }, height: { ideal: 240 }, frameRate: { ideal: 15 } });
		expect(videoSize(false)).toEqual({ width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } });
	});
});
