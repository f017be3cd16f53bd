/**
 * The microphone level (0–1, the peak of each animation frame) of a stream, for the pre-join
 * meter: an analyser on its audio. Returns the function that stops it.
 */
export function meterMicrophone(stream: MediaStream, onLevel: (level: number) => void): () => void {
	if (!stream.getAudioTracks().length) return () => {};
	const audio = new AudioContext();
	const analyser = audio.createAnalyser();
	analyser.fftSize = 512;
	audio.createMediaStreamSource(stream).connect(analyser);
	const data = new Uint8Array(analyser.fftSize);
	let frame = 0;
	const read = () => {
		analyser.getByteTimeDomainData(data);
		let peak = 0;
		for (const v of data) peak = Math.max(peak, Math.abs(v - 128) / 128);
		onLevel(peak);
		frame = requestAnimationFrame(read);
	};
	read();
	return () => {
		cancelAnimationFrame(frame);
		void audio.close();
	};
}
