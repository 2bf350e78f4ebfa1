// Validates rendered Kubernetes manifests offline: each document against its schema (Kubernetes from the npm package
// kubernetes-models, KEDA from @kubernetes-models/keda, Strimzi KafkaTopic from strimzi-kafkatopic.schema.json), then
// the rules this project deploys by (see deploy/README.md). Exit 0 when every document passes, 1 otherwise, with one
// line per problem.
//
//   kubectl kustomize deploy/overlays/dev | node deploy/check/validate.mjs -
//   node deploy/check/validate.mjs some.yaml other.yaml
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import Ajv from 'ajv';

const here = new URL('.', import.meta.url);

/** Models by apiVersion: import path of the module whose exports are the kinds of that group/version. */
const MODEL_MODULES = {
  'v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'node.k8s.io/v1': 'kubernetes-models/node.k8s.io/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'rbac.authorization.k8s.io/v1': 'kubernetes-models/rbac.authorization.k8s.io/v1',
  'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
};

// The Strimzi CRD is not published as an npm model: its KafkaTopic schema (the fields we use, as the CRD types them)
// is kept beside this script.
const ajv = new Ajv({ allErrors: true, strict: false });
const kafkaTopicSchema = ajv.compile(JSON.parse(readFileSync(new URL('strimzi-kafkatopic.schema.json', here), 'utf8')));

const KEDA_DEFAULT_MAX_REPLICAS = 100;

/** The longest a worker drains on SIGTERM before it exits (WorkerCommands: parser 30 s, writer 60 s). */
const DRAIN_SECONDS = { 'parser-worker': 30, 'writer-worker': 60 };

async function schemaProblems(doc) {
  const { apiVersion, kind } = doc;
  if (apiVersion === 'kafka.strimzi.io/v1beta2' && kind === 'KafkaTopic') {
    return kafkaTopicSchema(doc) ? [] : kafkaTopicSchema.errors.map(e => `${e.instancePath || '/'} ${e.message}`);
  }
  const modulePath = MODEL_MODULES[apiVersion];
  if (!modulePath) {
    return [`no schema for apiVersion ${apiVersion} (add it to deploy/check/validate.mjs)`];
  }
  const models = await import(modulePath);
  const Model = models[kind];
  if (!Model) {
    return [`no schema for kind ${kind} in ${apiVersion}`];
  }
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    return e.message.split(/,\s*(?=data)/);
  }
}

/** The pod template of a workload, or undefined. */
function podSpecOf(doc) {
  switch (doc.kind) {
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'Job': return doc.spec?.template?.spec;
    case 'CronJob': return doc.spec?.jobTemplate?.spec?.template?.spec;
    default: return undefined;
  }
}

function podRules(doc, pod) {
  const problems = [];
  const podSecurity = pod.securityContext ?? {};
  if (podSecurity.seccompProfile?.type !== 'RuntimeDefault') {
    problems.push('pod securityContext.seccompProfile.type must be RuntimeDefault');
  }
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if ((sc.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot must be true`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities.drop must include ALL`);
    if (sc.readOnlyRootFilesystem === true && !(c.volumeMounts ?? []).some(m => m.mountPath === '/tmp')) {
      problems.push(`${where}: a read-only root file system needs a writable /tmp (an emptyDir) for the JVM`);
    }
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (c.resources?.[kind]?.[resource] === undefined) problems.push(`${where}: resources.${kind}.${resource} missing`);
      }
    }
  }
  if (doc.kind === 'Deployment') {
    for (const c of pod.containers ?? []) {
      const where = `container ${c.name}`;
      if (c.livenessProbe?.httpGet?.path !== '/health/live') problems.push(`${where}: livenessProbe must GET /health/live`);
      if (c.readinessProbe?.httpGet?.path !== '/health/ready') problems.push(`${where}: readinessProbe must GET /health/ready`);
    }
    const component = doc.spec?.template?.metadata?.labels?.['app.kubernetes.io/component'];
    const drain = DRAIN_SECONDS[component];
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (drain !== undefined && grace <= drain) {
      problems.push(`terminationGracePeriodSeconds ${grace} must be longer than the ${component}'s ${drain} s drain`);
    }
  }
  return problems;
}

/** Rules across documents: what a ScaledObject or a PodDisruptionBudget points at must be there, and fit. */
function crossRules(docs) {
  const problems = [];
  const deployments = docs.filter(d => d.kind === 'Deployment');
  const partitionCounts = [
    ...docs.filter(d => d.kind === 'ConfigMap' && d.data?.AST2GRAPH_TOPIC_PARTITIONS)
      .map(d => Number(d.data.AST2GRAPH_TOPIC_PARTITIONS)),
  ];
  const partitions = partitionCounts.length ? Math.min(...partitionCounts) : undefined;
  for (const so of docs.filter(d => d.kind === 'ScaledObject')) {
    const name = `ScaledObject/${so.metadata?.name}`;
    const target = so.spec?.scaleTargetRef?.name;
    if (!deployments.some(d => d.metadata?.name === target)) {
      problems.push(`${name}: scaleTargetRef ${target} is not a Deployment of this render`);
    }
    if (partitions === undefined) {
      problems.push(`${name}: no ConfigMap with AST2GRAPH_TOPIC_PARTITIONS to check maxReplicaCount against`);
    } else {
      const max = so.spec?.maxReplicaCount;
      if ((max ?? KEDA_DEFAULT_MAX_REPLICAS) > partitions) {
        problems.push(`${name}: maxReplicaCount ${max ?? `unset (KEDA's default ${KEDA_DEFAULT_MAX_REPLICAS})`}`
          + ` exceeds the ${partitions} partitions (consumers beyond the partitions idle)`);
      }
    }
  }
  for (const pdb of docs.filter(d => d.kind === 'PodDisruptionBudget')) {
    const selector = pdb.spec?.selector?.matchLabels ?? {};
    const matches = deployments.some(d => Object.entries(selector)
      .every(([k, v]) => d.spec?.template?.metadata?.labels?.[k] === v));
    if (!matches) problems.push(`PodDisruptionBudget/${pdb.metadata?.name}: selects no Deployment of this render`);
  }
  const configMaps = new Set(docs.filter(d => d.kind === 'ConfigMap').map(d => d.metadata?.name));
  for (const doc of docs) {
    const pod = podSpecOf(doc);
    for (const c of pod?.containers ?? []) {
      for (const source of c.envFrom ?? []) {
        const ref = source.configMapRef;
        if (ref && !ref.optional && !configMaps.has(ref.name)) {
          problems.push(`${doc.kind}/${doc.metadata?.name}: container ${c.name} reads ConfigMap ${ref.name}, not in this render`);
        }
      }
    }
  }
  return problems;
}

export async function validate(sources) {
  const problems = [];
  const docs = [];
  for (const { name, text } of sources) {
    for (const parsed of parseAllDocuments(text)) {
      if (parsed.errors.length) {
        problems.push(`${name}: YAML: ${parsed.errors.map(e => e.message).join('; ')}`);
        continue;
      }
      const doc = parsed.toJS();
      if (doc === null || doc === undefined) continue;
      docs.push(doc);
      const label = `${name}: ${doc.kind}/${doc.metadata?.name}`;
      if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
        problems.push(`${name}: a document without apiVersion or kind`);
        continue;
      }
      for (const p of await schemaProblems(doc)) problems.push(`${label}: ${p}`);
      const pod = podSpecOf(doc);
      if (pod) for (const p of podRules(doc, pod)) problems.push(`${label}: ${p}`);
    }
  }
  for (const p of crossRules(docs)) problems.push(p);
  return { documents: docs.length, problems };
}

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node validate.mjs FILE... (- for standard input)');
  process.exit(64);
}
const sources = args.map(a => ({ name: a === '-' ? 'stdin' : a, text: readFileSync(a === '-' ? 0 : a, 'utf8') }));
const { documents, problems } = await validate(sources);
if (documents === 0) problems.push('no documents to validate');
for (const p of problems) console.log(`INVALID ${p}`);
console.log(problems.length ? `${problems.length} problems in ${documents} documents`
  : `${documents} documents valid`);
process.exit(problems.length ? 1 : 0);
