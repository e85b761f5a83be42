// FIS templates and the pitr game day against a real moto_server. moto keeps FIS templates but runs no
// experiment: StartExperiment/GetExperiment go through the in-repo fake for that gap only
// (test/support/fis-gaps.ts). The RDS restore, its polling and the templates are moto's own.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateExperimentTemplateCommand, FisClient, GetExperimentTemplateCommand } from '@aws-sdk/client-fis';
import { CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT, MOTO_REGION, startMoto, type Moto } from '../support/moto.ts';
import { startFisGaps, type FisGaps } from '../support/fis-gaps.ts';
import { runSolida } from '../support/solida-cli.ts';

let moto: Moto;
let fisGaps: FisGaps;
let dir: string;
let config: string;

const SPEC = `services:
  - name: inventory
    aws:
      region: ${MOTO_REGION}
      ecs: { cluster: nube-solida, service: inventory }
      rds: { instance: inventory-db, engine: postgres }
slos: []
`;
const COMMON = () => ['--config', config, '--account', MOTO_ACCOUNT, '--region', MOTO_REGION, '--az', `${MOTO_REGION}a`, '--subnet-tag', 'tier=app', '--secondary-region', 'eu-central-1', '--stop-alarm', 'inventory-page'];

beforeAll(async () => {
  moto = await startMoto();
  fisGaps = await startFisGaps(moto.url);
  dir = await mkdtemp(join(tmpdir(), 'solida-moto-fis-'));
  config = join(dir, 'solida.yaml');
  await writeFile(config, SPEC);
}, 60_000);
afterAll(async () => {
  await fisGaps?.close();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => moto.reset());

describe('FIS and RDS against moto_server', () => {
  it('creates every generated template with CreateExperimentTemplate and reads it back equal', async () => {
    const out = join(dir, 'fis');
    const gen = await runSolida(['generate', 'fis', ...COMMON(), '--out', out], moto.env);
    expect(gen.code, gen.stderr).toBe(0);
    const files = (await readdir(out)).filter((f) => f.endsWith('.template.json')).sort();
    expect(files).toEqual(['az-failure.template.json', 'pitr.template.json', 'region-failover.template.json']);
    // Through the FIS fake: the create is moto's; moto has no GetExperimentTemplate, so the fake answers the
    // read with moto's own serialization of the template it stored.
    const fis = new FisClient({ region: MOTO_REGION, endpoint: fisGaps.url, credentials: DUMMY_CREDENTIALS });
    for (const f of files) {
      const template = JSON.parse(await readFile(join(out, f), 'utf8'));
      const created = await fis.send(new CreateExperimentTemplateCommand({ ...template, clientToken: `token-${f}` }));
      const got = (await fis.send(new GetExperimentTemplateCommand({ id: created.experimentTemplate!.id! }))).experimentTemplate!;
      // Fields the service adds: id, times, counts. Everything solida sent must come back unchanged.
      const { id, creationTime, lastUpdateTime, targetAccountConfigurationsCount, arn, $metadata, ...readBack } = got as Record<string, unknown>;
      expect(id).toBeTruthy();
      // A template without targets (pitr's wait action) reads back with an empty map, as FIS answers it.
      if (!template.targets) expect(readBack.targets).toEqual({}), delete readBack.targets;
      expect(JSON.parse(JSON.stringify(readBack)), f).toEqual(template);
    }
  }, 60_000);

  it('runs the pitr game day end to end: restore request, polling to available, RTO/RPO in the JSON record', async () => {
    const rds = new RDSClient({ region: MOTO_REGION, endpoint: moto.url, credentials: DUMMY_CREDENTIALS });
    await rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'inventory-db', Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20,
      MasterUsername: 'inventory', MasterUserPassword: 'not-a-secret-1', MultiAZ: true, BackupRetentionPeriod: 7,
    }));
    const corruptedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000); // RDS restore times are whole seconds
    const record = join(dir, 'pitr.json');
    const env = { ...moto.env, AWS_ENDPOINT_URL_FIS: fisGaps.url };
    const run = await runSolida(['gameday', 'pitr', '--target', 'aws', ...COMMON(), '--corrupted-at', corruptedAt.toISOString(), '--execute', '--yes', '--json', record], env);
    expect(run.code, `${run.stdout}\n${run.stderr}\n${fisGaps.calls.join("\n")}`).toBe(0);

    // The restored instance exists in moto, under the planned identifier, restored from the source.
    const doc = JSON.parse(await readFile(record, 'utf8'));
    expect(doc.verdict).toBe('pass');
    expect(doc.experiment.status).toBe('completed');
    const target = doc.restore.target as string;
    expect(target).toMatch(/^inventory-db-pitr-/);
    const restored = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: target }))).DBInstances![0];
    expect(restored.DBInstanceStatus).toBe('available');
    expect(doc.restore.outcome).toBe('available');
    expect(doc.restore.events.at(-1)).toMatchObject({ identifier: target, status: 'available' });
    // RPO: the restore point is the corruption time minus the 5 s margin; RTO: request to available.
    expect(doc.rpo).toEqual({ measuredSeconds: 5, objectiveSeconds: doc.objectives.rpoSeconds, met: true });
    expect(Date.parse(doc.restore.restoreTime)).toBe(corruptedAt.getTime() - 5000);
    expect(doc.rto.measuredSeconds).toBe(doc.restore.seconds);
    expect(doc.rto.measuredSeconds).toBeGreaterThanOrEqual(0);
    expect(doc.rto.met).toBe(true);
    expect(doc.rto.excludes).toBeTruthy();
    // The experiment's template is moto's; only its run went through the fake.
    expect(fisGaps.calls).toContain('POST /experimentTemplates');
    expect(fisGaps.calls).toContain('POST /experiments');
  }, 90_000);
});
