// `./parley backup FILE` and `./parley restore FILE`, on the DATA_DIR of the environment (see server/backup.ts).
import { ConfigError, parseConfig } from '../src/lib/server/config.ts';
import { VERSION } from './app.ts';
import { BackupError, restoreBackup, writeBackup } from './backup.ts';

const [command, file] = process.argv.slice(2);
if (!(command === 'backup' || command === 'restore') || !file) {
	console.error('usage: ./parley backup FILE   (while Parley runs or not)\n       ./parley restore FILE  (into an empty DATA_DIR)');
	process.exit(2);
}
try {
	const { dataDir } = parseConfig(process.env);
	if (command === 'backup') {
		const manifest = await writeBackup(dataDir, file, VERSION);
		console.log(`parley: backup of ${dataDir} written to ${file} (${manifest.files.join(', ')}; schema version ${manifest.schemaVersion})`);
	} else {
		const manifest = await restoreBackup(file, dataDir);
		console.log(`parley: restored the backup of ${manifest.createdAt} (Parley ${manifest.parleyVersion}) into ${dataDir}; start Parley with DATA_DIR=${dataDir}`);
	}
} catch (error) {
	if (!(error instanceof BackupError || error instanceof ConfigError)) throw error;
	console.error(`parley: ${error.message}`);
	process.exit(1);
}
