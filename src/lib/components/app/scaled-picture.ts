/** The longest side a picture is sent with: the server keeps a 256 px square, cropped from the middle. */
export const SENT_SIDE = 512;

/**
 * The chosen picture scaled down on the device (turned as its EXIF says), as WebP or else JPEG;
 * null when this browser cannot decode it (e.g. HEIC in Chromium).
 */
export async function scaledPicture(file: Blob, side = SENT_SIDE): Promise<Blob | null> {
	let bitmap: ImageBitmap;
	try {
		bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
	} catch {
		return null;
	}
	const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
	const canvas = document.createElement('canvas');
	canvas.width = Math.max(1, Math.round(bitmap.width * scale));
	canvas.height = Math.max(1, Math.round(bitmap.height * scale));
	canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
	bitmap.close();
	const encode = (type: string) => new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.9));
	const webp = await encode('image/webp');
	return webp?.type === 'image/webp' ? webp : encode('image/jpeg');
}
