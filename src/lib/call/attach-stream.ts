/** Svelte action: plays a MediaStream in a <video> (and routes its sound to a chosen speaker). */
export function attachStream(node: HTMLVideoElement, options: { stream: MediaStream | null; sinkId?: string }) {
	const apply = ({ stream, sinkId }: { stream: MediaStream | null; sinkId?: string }) => {
		if (node.srcObject !== stream) node.srcObject = stream;
		const withSink = node as HTMLVideoElement & { setSinkId?: (id: string) => Promise<void>; sinkId?: string };
		if (sinkId && withSink.setSinkId && withSink.sinkId !== sinkId) void withSink.setSinkId(sinkId).catch(() => undefined);
	};
	apply(options);
	return { update: apply };
}
