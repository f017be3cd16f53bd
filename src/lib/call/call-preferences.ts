/**
 * A person's call preferences on this device, kept in localStorage: the devices chosen last time
 * (used again at the next join), "Always relay calls" and "Data saver" (set on the Settings page).
 */
export type ChosenDevices = { audio?: string; video?: string; speaker?: string };

export type CallPreferences = {
	devices: ChosenDevices;
	/** Media only through the TURN relay, so the others never see this device's IP address. */
	relayOnly: boolean;
	/** Smaller video: 320×240 at 15 frames a second instead of 640×480 at 30. */
	dataSaver: boolean;
	/** The browser's noise suppression and echo cancellation on the microphone: on unless turned off (e.g. for music). */
	noiseSuppression: boolean;
	echoCancellation: boolean;
};

type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'>;

const KEYS: Record<keyof CallPreferences, string> = {
	devices: 'parley:devices',
	relayOnly: 'parley:relay-only',
	dataSaver: 'parley:data-saver',
	noiseSuppression: 'parley:noise-suppression',
	echoCancellation: 'parley:echo-cancellation'
};

function readDevices(text: string | null): ChosenDevices {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text ?? '{}');
	} catch {
		return {};
	}
	const devices: ChosenDevices = {};
	if (!parsed || typeof parsed !== 'object') return devices;
	for (const kind of ['audio', 'video', 'speaker'] as const) {
		const id = (parsed as Record<string, unknown>)[kind];
		if (typeof id === 'string') devices[kind] = id;
	}
	return devices;
}

export function readCallPreferences(storage: PreferenceStorage = localStorage): CallPreferences {
	return {
		devices: readDevices(storage.getItem(KEYS.devices)),
		relayOnly: storage.getItem(KEYS.relayOnly) === '1',
		dataSaver: storage.getItem(KEYS.dataSaver) === '1',
		noiseSuppression: storage.getItem(KEYS.noiseSuppression) !== '0',
		echoCancellation: storage.getItem(KEYS.echoCancellation) !== '0'
	};
}

export function writeCallPreference<K extends keyof CallPreferences>(key: K, value: CallPreferences[K], storage: PreferenceStorage = localStorage): void {
	storage.setItem(KEYS[key], typeof value === 'boolean' ? (value ? '1' : '0') : JSON.stringify(value));
}

/** The camera size and frame rate to ask for, smaller with the data saver on. */
export function videoSize(dataSaver: boolean): MediaTrackConstraints {
	return dataSaver ? { width: { ideal: 320 }, height: { ideal: 240 }, frameRate: { ideal: 15 } } : { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } };
}

/** The microphone's processing to ask for: the browser's noise suppression and echo cancellation, as chosen. */
export type VoiceProcessing = Pick<CallPreferences, 'noiseSuppression' | 'echoCancellation'>;

export function microphoneConstraints(deviceId: string | undefined, processing: VoiceProcessing, exact = false): MediaTrackConstraints {
	return { ...(deviceId ? { deviceId: exact ? { exact: deviceId } : { ideal: deviceId } } : {}), noiseSuppression: processing.noiseSuppression, echoCancellation: processing.echoCancellation };
}
