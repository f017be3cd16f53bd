import { describe, expect, it } from 'vitest';
import { isPublicAddress } from './public-address.ts';

describe('isPublicAddress', () => {
	it.each(['8.8.8.8', '1.1.1.1', '142.250.1.1', '2001:4860:4860::8888', '2a00:1450::1', '[2606:4700::1111]', '::ffff:8.8.8.8', '64:ff9b::808:808'])('%s is public', (ip) => {
		expect(isPublicAddress(ip)).toBe(true);
	});

	it.each([
		'127.0.0.1', '127.255.0.1', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '239.1.1.1',
		'255.255.255.255', '240.0.0.1', '192.0.2.1', '198.18.0.1', '::', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a00:1',
		'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '2001:db8::1', '2002:7f00:1::1', '2001::1', '100::1', '::127.0.0.1', 'not an address', ''
	])('%s is not public', (ip) => {
		expect(isPublicAddress(ip)).toBe(false);
	});
});
