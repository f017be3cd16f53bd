// The parts of http_ece (web-push's payload encryption) the push tests use to read what the server sent.
declare module 'http_ece' {
	import type { ECDH } from 'node:crypto';
	const ece: {
		decrypt(buffer: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string }): Buffer;
	};
	export default ece;
}
