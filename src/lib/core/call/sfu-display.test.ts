import { describe, expect, it } from 'vitest';
import { feedDisplay, parseFeedDisplay, sfuKey } from './sfu-display.ts';

describe('feed displays on the SFU', () => {
	it('reads back who the proxy named, for camera and screen feeds', () => {
		expect(parseFeedDisplay(feedDisplay('pabc', 'user1'))).toEqual({ userId: 'user1', peerId: 'pabc', screen: false });
		expect(parseFeedDisplay(feedDisplay('screen:pabc', 'user1'))).toEqual({ userId: 'user1', peerId: 'pabc', screen: true });
	});

	it('attributes nothing to a display the proxy did not write', () => {
		for (const display of [undefined, 'pabc', '@user1', 'pabc@', 'p a@user1', 42]) expect(parseFeedDisplay(display)).toBeNull();
	});

	it('keys a device by person and peer id, so a borrowed peer id matches nobody else', () => {
		expect(sfuKey('eve', 'p1')).not.toBe(sfuKey('bob', 'p1'));
	});
});
