/**
 * TensorBoard event files: `Event` protobufs (tensorboard's `event.proto` / `summary.proto`)
 * in TFRecord framing, appended to `events.out.tfevents.<seconds>.<host>.<pid>.<n>` — the
 * names TensorBoard looks for (any file whose name contains `tfevents`).
 *
 * @packageDocumentation
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { maskedCrc32c } from './crc32c.js';
import { ProtoWriter } from './protobuf.js';

/** One scalar of a `Summary` (`Summary.Value{tag, simple_value}`). */
export interface ScalarValue {
  tag: string;
  value: number;
}

/**
 * A string tensor summary for a TensorBoard plugin (`Summary.Value{tag, metadata, tensor}`),
 * e.g. the Keras model config that the graph dashboard draws (plugin `graph_keras_model`).
 */
export interface PluginTextValue {
  tag: string;
  /** `SummaryMetadata.plugin_data.plugin_name`. */
  pluginName: string;
  /** `SummaryMetadata.plugin_data.content`. */
  pluginContent: string;
  /** The scalar string tensor (`TensorProto{dtype: DT_STRING, tensor_shape: {}, string_val}`). */
  text: string;
}

/** What one `Event` record holds. */
export interface EventRecord {
  /** Seconds since the epoch (`Event.wall_time`). */
  wallTime: number;
  /** Global step (`Event.step`). */
  step?: number;
  /** `Event.file_version`; the first record of a file says `brain.Event:2`. */
  fileVersion?: string;
  /** Scalars for `Event.summary`. */
  scalars?: readonly ScalarValue[];
  /** Plugin tensors for `Event.summary`, after the scalars. */
  texts?: readonly PluginTextValue[];
}

/** TensorFlow's `DataType` enum value of strings. */
const DT_STRING = 7;

/** `Summary.Value` with tag=1, metadata=9 (`SummaryMetadata{plugin_data=1{plugin_name=1, content=2}}`), tensor=8. */
function pluginTextValue(value: PluginTextValue): ProtoWriter {
  const pluginData = new ProtoWriter().string(1, value.pluginName).string(2, value.pluginContent);
  const tensor = new ProtoWriter().int64(1, DT_STRING).message(2, new ProtoWriter()).string(8, value.text);
  return new ProtoWriter().string(1, value.tag).message(9, new ProtoWriter().message(1, pluginData)).message(8, tensor);
}

/** The version record TensorBoard expects first in every event file. */
export const EVENT_FILE_VERSION = 'brain.Event:2';

/** Encodes an `Event` message (fields: wall_time=1 double, step=2 int64, file_version=3, summary=5). */
export function encodeEvent(event: EventRecord): Uint8Array {
  const message = new ProtoWriter().double(1, event.wallTime);
  if (event.step !== undefined && event.step !== 0) message.int64(2, Math.trunc(event.step));
  if (event.fileVersion !== undefined) message.string(3, event.fileVersion);
  if (event.scalars !== undefined || event.texts !== undefined) {
    const summary = new ProtoWriter();
    // Summary.value=1 (repeated Value); Value.tag=1, Value.simple_value=2 (float).
    for (const { tag, value } of event.scalars ?? [])
      summary.message(1, new ProtoWriter().string(1, tag).float(2, value));
    for (const text of event.texts ?? []) summary.message(1, pluginTextValue(text));
    message.message(5, summary);
  }
  return message.finish();
}

/** Frames `data` as one TFRecord: uint64 length, masked CRC-32C of the length, data, masked CRC-32C of the data (all little-endian). */
export function tfRecord(data: Uint8Array): Uint8Array {
  const record = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(record.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(record.subarray(0, 8)), true);
  record.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return record;
}

let filesOpened = 0;

/** A host name safe in a file name. */
const safeHost = (): string => hostname().replace(/[^A-Za-z0-9._-]/g, '_') || 'localhost';

/**
 * Appends events to one event file in `dir`, created (with its folder and the version
 * record) on the first write, as TensorFlow's summary writers do. Each write is appended
 * and closed at once, so a crash loses nothing already logged.
 */
export class EventFileWriter {
  private file: string | undefined;

  constructor(readonly dir: string) {}

  /** The event file, once something was written. */
  get path(): string | undefined {
    return this.file;
  }

  /** Writes one event holding `scalars` at `step`. */
  addScalars(step: number, scalars: readonly ScalarValue[], wallTime = Date.now() / 1000): void {
    if (scalars.length === 0) return;
    this.append(tfRecord(encodeEvent({ wallTime, step, scalars })));
  }

  /** Writes one event holding a plugin's string tensor at `step`. */
  addText(step: number, value: PluginTextValue, wallTime = Date.now() / 1000): void {
    this.append(tfRecord(encodeEvent({ wallTime, step, texts: [value] })));
  }

  private append(bytes: Uint8Array): void {
    if (this.file === undefined) {
      mkdirSync(this.dir, { recursive: true });
      const now = Date.now() / 1000;
      const file = join(
        this.dir,
        `events.out.tfevents.${Math.floor(now)}.${safeHost()}.${process.pid}.${filesOpened++}`,
      );
      writeFileSync(file, tfRecord(encodeEvent({ wallTime: now, fileVersion: EVENT_FILE_VERSION })), { flag: 'wx' });
      this.file = file;
    }
    appendFileSync(this.file, bytes);
  }
}
