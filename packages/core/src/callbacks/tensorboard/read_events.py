"""Reads a TensorBoard event file with a real reader and prints its events as JSON.

Usage: python3 read_events.py tensorboard|protobuf FILE

tensorboard: TensorBoard's own loader (tensorboard.backend.event_processing), framing and CRCs included.
protobuf: Google's protobuf runtime parses each record as tensorboard's Event message (built here from
the event.proto / summary.proto field numbers); the TFRecord framing is split by length.
Exit code 3 when the chosen reader is not installed.
"""
import json
import struct
import sys


def with_tensorboard(path):
    try:
        from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
    except ImportError:
        sys.exit(3)
    events = []
    for event in EventFileLoader(path).Load():
        events.append(as_json(event))
    return events


def event_class():
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    F = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="strata_event_subset.proto", package="tensorboard")
    value = proto.message_type.add(name="Value")
    value.field.add(name="tag", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    value.field.add(name="simple_value", number=2, type=F.TYPE_FLOAT, label=F.LABEL_OPTIONAL)
    value.field.add(name="metadata", number=9, type=F.TYPE_MESSAGE, type_name=".tensorboard.SummaryMetadata", label=F.LABEL_OPTIONAL)
    value.field.add(name="tensor", number=8, type=F.TYPE_MESSAGE, type_name=".tensorboard.TensorProto", label=F.LABEL_OPTIONAL)
    plugin = proto.message_type.add(name="PluginData")
    plugin.field.add(name="plugin_name", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    plugin.field.add(name="content", number=2, type=F.TYPE_BYTES, label=F.LABEL_OPTIONAL)
    metadata = proto.message_type.add(name="SummaryMetadata")
    metadata.field.add(name="plugin_data", number=1, type=F.TYPE_MESSAGE, type_name=".tensorboard.PluginData", label=F.LABEL_OPTIONAL)
    shape = proto.message_type.add(name="TensorShapeProto")
    shape.field.add(name="unknown_rank", number=3, type=F.TYPE_BOOL, label=F.LABEL_OPTIONAL)
    tensor = proto.message_type.add(name="TensorProto")
    tensor.field.add(name="dtype", number=1, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)
    tensor.field.add(name="tensor_shape", number=2, type=F.TYPE_MESSAGE, type_name=".tensorboard.TensorShapeProto", label=F.LABEL_OPTIONAL)
    tensor.field.add(name="string_val", number=8, type=F.TYPE_BYTES, label=F.LABEL_REPEATED)
    summary = proto.message_type.add(name="Summary")
    summary.field.add(name="value", number=1, type=F.TYPE_MESSAGE, type_name=".tensorboard.Value", label=F.LABEL_REPEATED)
    event = proto.message_type.add(name="Event")
    event.field.add(name="wall_time", number=1, type=F.TYPE_DOUBLE, label=F.LABEL_OPTIONAL)
    event.field.add(name="step", number=2, type=F.TYPE_INT64, label=F.LABEL_OPTIONAL)
    event.field.add(name="file_version", number=3, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    event.field.add(name="summary", number=5, type=F.TYPE_MESSAGE, type_name=".tensorboard.Summary", label=F.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    descriptor = pool.FindMessageTypeByName("tensorboard.Event")
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def with_protobuf(path):
    try:
        Event = event_class()
    except ImportError:
        sys.exit(3)
    data = open(path, "rb").read()
    events, at = [], 0
    while at < len(data):
        (length,) = struct.unpack_from("<Q", data, at)
        record = data[at + 12 : at + 12 + length]
        event = Event()
        event.ParseFromString(record)
        events.append(as_json(event))
        at += 16 + length
    return events


def as_json(event):
    out = {"wall_time": event.wall_time, "step": event.step, "scalars": {}, "texts": {}}
    if event.file_version:
        out["file_version"] = event.file_version
    for value in event.summary.value:
        if value.HasField("tensor") and value.tensor.string_val:
            if value.metadata.plugin_data.plugin_name == "graph_keras_model":
                out["texts"][value.tag] = value.tensor.string_val[0].decode("utf-8")
            continue
        scalar = value.simple_value
        try:
            # TensorBoard may hand scalars over migrated to tensors.
            if value.WhichOneof("value") == "tensor":
                scalar = value.tensor.float_val[0]
        except ValueError:
            pass
        out["scalars"][value.tag] = scalar
    return out


if __name__ == "__main__":
    reader, path = sys.argv[1], sys.argv[2]
    print(json.dumps(with_tensorboard(path) if reader == "tensorboard" else with_protobuf(path)))
