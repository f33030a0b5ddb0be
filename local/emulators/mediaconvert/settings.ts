/**
 * Reads a MediaConvert CreateJob request as the SDK sends it (REST JSON, lowerCamel member names) and turns it
 * into a plan the emulator can run with ffmpeg. Anything the emulator would not render faithfully is refused
 * with a {@link JobSettingsError} naming the JSON path, the way MediaConvert's own 400s do
 * (`/outputGroups/0/outputs/0/videoDescription/width: ...`). The emulator never ignores a setting silently.
 */

import { integer, JobSettingsError, object, oneOf, only, parseS3Url, stringMap, text } from './fields.ts';
import {
  destinationOf,
  outputOf,
  type PlannedAudioSelector,
  type PlannedDestination,
  type PlannedFrameCapture,
  type PlannedMp4Output,
} from './outputs.ts';

export { JobSettingsError, parseS3Url } from './fields.ts';
export {
  crfForQvbr,
  type PlannedAudioSelector,
  type PlannedDestination,
  type PlannedFrameCapture,
  type PlannedMp4Output,
} from './outputs.ts';

import { isObject, type JsonObject } from '#shared/json';

/** One output group and its outputs, in request order. */
export interface PlannedGroup {
  readonly destination: PlannedDestination;
  readonly outputs: readonly (PlannedMp4Output | PlannedFrameCapture)[];
}

/** Everything the emulator needs to run one job. */
export interface JobPlan {
  readonly role: string;
  readonly queue?: string;
  readonly clientRequestToken?: string;
  readonly userMetadata: Readonly<Record<string, string>>;
  readonly input: {
    readonly url: string;
    readonly bucket: string;
    readonly key: string;
    readonly autorotate: boolean;
    readonly audioSelectors: ReadonlyMap<string, PlannedAudioSelector>;
  };
  readonly groups: readonly PlannedGroup[];
}

function inputOf(input: JsonObject, path: string): JobPlan['input'] {
  only(input, path, ['fileInput', 'audioSelectors', 'videoSelector', 'timecodeSource']);
  const url = text(input, 'fileInput', path, true);
  const { bucket, key } = parseS3Url(url, `${path}/fileInput`);
  if (key === '') throw new JobSettingsError(`${path}/fileInput`, 'Should name a file, not a bucket.');
  if (input.timecodeSource !== undefined) {
    oneOf(input, 'timecodeSource', path, ['ZEROBASED', 'EMBEDDED']);
  }
  let autorotate = false;
  if (input.videoSelector !== undefined) {
    const selector = object(input.videoSelector, `${path}/videoSelector`);
    only(selector, `${path}/videoSelector`, ['rotate']);
    // MediaConvert ignores rotation metadata unless Rotate is AUTO; the emulator does the same.
    autorotate =
      oneOf(selector, 'rotate', `${path}/videoSelector`, ['AUTO', 'DEGREE_0'], 'DEGREE_0') === 'AUTO';
  }
  const audioSelectors = new Map<string, PlannedAudioSelector>();
  if (input.audioSelectors !== undefined) {
    const selectors = object(input.audioSelectors, `${path}/audioSelectors`);
    for (const [name, raw] of Object.entries(selectors)) {
      const selectorPath = `${path}/audioSelectors/${name}`;
      const selector = object(raw, selectorPath);
      only(selector, selectorPath, [
        'defaultSelection',
        'selectorType',
        'tracks',
        'offset',
        'programSelection',
      ]);
      if (selector.selectorType !== undefined) oneOf(selector, 'selectorType', selectorPath, ['TRACK']);
      if (selector.offset !== undefined) integer(selector, 'offset', selectorPath, 0, 0);
      if (selector.programSelection !== undefined) integer(selector, 'programSelection', selectorPath, 0, 8);
      let tracks: number[] = [1];
      if (selector.tracks !== undefined) {
        if (!Array.isArray(selector.tracks) || selector.tracks.length !== 1) {
          throw new JobSettingsError(
            `${selectorPath}/tracks`,
            'The emulator selects exactly one track per selector.',
          );
        }
        tracks = [integer({ track: selector.tracks[0] }, 'track', `${selectorPath}/tracks/0`, 1, 64, true)];
      }
      const isDefault = oneOf(
        selector,
        'defaultSelection',
        selectorPath,
        ['DEFAULT', 'NOT_DEFAULT'],
        'NOT_DEFAULT',
      );
      audioSelectors.set(name, { tracks, isDefault: isDefault === 'DEFAULT' });
    }
  }
  return { url, bucket, key, autorotate, audioSelectors };
}

/** Validates a CreateJob body (REST JSON) and plans the job; throws {@link JobSettingsError} on anything unsupported. */
export function planJob(body: unknown): JobPlan {
  const request = object(body, '');
  only(request, '', [
    'role',
    'settings',
    'queue',
    'clientRequestToken',
    'userMetadata',
    'statusUpdateInterval',
    'priority',
    'tags',
    'billingTagsSource',
  ]);
  const role = text(request, 'role', '', true);
  const queue = text(request, 'queue', '');
  const clientRequestToken = text(request, 'clientRequestToken', '');
  const userMetadata = stringMap(request.userMetadata, '/userMetadata');
  stringMap(request.tags, '/tags');
  if (request.priority !== undefined) integer(request, 'priority', '', -50, 50);

  const settings = object(request.settings, '/settings');
  only(settings, '/settings', ['inputs', 'outputGroups', 'timecodeConfig']);
  if (settings.timecodeConfig !== undefined) {
    const timecode = object(settings.timecodeConfig, '/settings/timecodeConfig');
    only(timecode, '/settings/timecodeConfig', ['source']);
    oneOf(timecode, 'source', '/settings/timecodeConfig', ['ZEROBASED', 'EMBEDDED']);
  }
  if (!Array.isArray(settings.inputs) || settings.inputs.length !== 1) {
    throw new JobSettingsError('/settings/inputs', 'The emulator runs jobs with exactly one input.');
  }
  const input = inputOf(object(settings.inputs[0], '/settings/inputs/0'), '/settings/inputs/0');
  if (!Array.isArray(settings.outputGroups) || settings.outputGroups.length === 0) {
    throw new JobSettingsError('/settings/outputGroups', 'Should list at least one output group.');
  }
  const groups = settings.outputGroups.map((raw, groupIndex): PlannedGroup => {
    const path = `/settings/outputGroups/${groupIndex}`;
    const group = object(raw, path);
    only(group, path, ['name', 'customName', 'outputGroupSettings', 'outputs']);
    const destination = destinationOf(group, path, input.key);
    if (!Array.isArray(group.outputs) || group.outputs.length === 0) {
      throw new JobSettingsError(`${path}/outputs`, 'Should list at least one output.');
    }
    const outputs = group.outputs.map((output, outputIndex) =>
      outputOf(
        object(output, `${path}/outputs/${outputIndex}`),
        `${path}/outputs/${outputIndex}`,
        destination,
        input.audioSelectors,
      ),
    );
    if (outputs.length > 1) {
      const names = group.outputs.map((output) => (isObject(output) ? output.nameModifier : undefined));
      if (
        names.some((name) => typeof name !== 'string' || name === '') ||
        new Set(names).size !== names.length
      ) {
        throw new JobSettingsError(
          `${path}/outputs`,
          'Several outputs in one group each need a distinct nameModifier.',
        );
      }
    }
    return { destination, outputs };
  });
  return {
    role,
    ...(queue && { queue }),
    ...(clientRequestToken && { clientRequestToken }),
    userMetadata,
    input,
    groups,
  };
}
