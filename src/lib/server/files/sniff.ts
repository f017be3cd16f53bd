/** Types Parley recognises from a file's first bytes; anything else is served as application/octet-stream. */
export const INLINE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'video/mp4', 'video/webm', 'audio/ogg', 'audio/mpeg'] as const;
/** Images sharp re-encodes (dropping EXIF and location) and makes thumbnails of. */
export const PROCESSED_IMAGES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

const starts = (bytes: Uint8Array, signature: number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The file's type judged from its first bytes (at least 16), never from its name or the browser's word. */
export function sniffType(head: Uint8Array): string {
	if (starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (starts(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (starts(head, ascii('GIF87a')) || starts(head, ascii('GIF89a'))) return 'image/gif';
	if (starts(head, ascii('RIFF')) && starts(head, ascii('WEBP'), 8)) return 'image/webp';
	if (starts(head, ascii('%PDF-'))) return 'application/pdf';
	if (starts(head, ascii('ftyp'), 4)) return 'video/mp4';
	if (starts(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'video/webm';
	if (starts(head, ascii('OggS'))) return 'audio/ogg';
	if (starts(head, ascii('ID3')) || (head[0] === 0xff && (head[1] & 0xe0) === 0xe0)) return 'audio/mpeg';
	return 'application/octet-stream';
}

/** Whether the app shows the file itself (image, video, audio) rather than offering it as a download. */
export const rendersInline = (type: string) => (INLINE_TYPES as readonly string[]).includes(type);
