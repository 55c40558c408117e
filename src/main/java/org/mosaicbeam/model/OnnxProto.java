package org.mosaicbeam.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnknownFieldSet.Field;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading and rewriting ONNX files without generated ONNX classes: a model is a protobuf {@code
 * ModelProto}, handled as {@link UnknownFieldSet}s with onnx.proto's field numbers. Used to make
 * BlazeFace take any input size ({@link BlazeFaceGraph}) and to fix a model's input size, which
 * lets ONNX Runtime plan its memory once (BlazeFace at 1280×736: 102 ms fixed against 132 ms
 * symbolic).
 */
final class OnnxProto {
  // onnx.proto field numbers
  static final int MODEL_GRAPH = 7;
  static final int GRAPH_NODE = 1;
  static final int GRAPH_INITIALIZER = 5;
  static final int GRAPH_INPUT = 11;
  static final int GRAPH_OUTPUT = 12;
  static final int GRAPH_VALUE_INFO = 13;
  static final int VALUE_INFO_NAME = 1;
  static final int VALUE_INFO_TYPE = 2;
  static final int TYPE_TENSOR = 1;
  static final int TENSOR_TYPE_SHAPE = 2;
  static final int SHAPE_DIM = 1;
  static final int DIM_VALUE = 1;
  static final int DIM_PARAM = 2;

  private OnnxProto() {}

  /** The model with its (first) input's dimensions replaced as in {@link #withDims}. */
  static byte[] withInputDims(byte[] onnx, String... dims) throws IOException {
    UnknownFieldSet model = UnknownFieldSet.parseFrom(onnx);
    UnknownFieldSet graph = message(model.getField(MODEL_GRAPH).getLengthDelimitedList().get(0));
    List<UnknownFieldSet> inputs = messages(graph, GRAPH_INPUT);
    inputs.set(0, withDims(inputs.get(0), dims));
    return withGraph(model, graph.toBuilder().addField(GRAPH_INPUT, field(inputs)).build());
  }

  /** The model with {@code graph} in place of its graph. */
  static byte[] withGraph(UnknownFieldSet model, UnknownFieldSet graph) {
    return model.toBuilder()
        .addField(MODEL_GRAPH, Field.newBuilder().addLengthDelimited(graph.toByteString()).build())
        .build()
        .toByteArray();
  }

  /**
   * A ValueInfoProto with new dimensions: "=N" fixes one at N, a name makes it symbolic, null keeps
   * it.
   */
  static UnknownFieldSet withDims(UnknownFieldSet valueInfo, String... names)
      throws InvalidProtocolBufferException {
    UnknownFieldSet type = messages(valueInfo, VALUE_INFO_TYPE).get(0);
    UnknownFieldSet tensor = messages(type, TYPE_TENSOR).get(0);
    UnknownFieldSet shape = messages(tensor, TENSOR_TYPE_SHAPE).get(0);
    List<UnknownFieldSet> dims = messages(shape, SHAPE_DIM);
    if (dims.size() != names.length) {
      throw new IllegalStateException(
          string(valueInfo, VALUE_INFO_NAME)
              + " has "
              + dims.size()
              + " dimensions, not "
              + names.length);
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i] != null && names[i].startsWith("=")) {
        dims.set(
            i,
            UnknownFieldSet.newBuilder()
                .addField(
                    DIM_VALUE,
                    Field.newBuilder().addVarint(Long.parseLong(names[i].substring(1))).build())
                .build());
      } else if (names[i] != null) {
        dims.set(i, UnknownFieldSet.newBuilder().addField(DIM_PARAM, strings(names[i])).build());
      }
    }
    shape = shape.toBuilder().addField(SHAPE_DIM, field(dims)).build();
    tensor = tensor.toBuilder().addField(TENSOR_TYPE_SHAPE, field(List.of(shape))).build();
    type = type.toBuilder().addField(TYPE_TENSOR, field(List.of(tensor))).build();
    return valueInfo.toBuilder().addField(VALUE_INFO_TYPE, field(List.of(type))).build();
  }

  static UnknownFieldSet message(ByteString bytes) throws InvalidProtocolBufferException {
    return UnknownFieldSet.parseFrom(bytes);
  }

  static List<UnknownFieldSet> messages(UnknownFieldSet m, int number)
      throws InvalidProtocolBufferException {
    List<UnknownFieldSet> out = new ArrayList<>();
    for (ByteString b : m.getField(number).getLengthDelimitedList()) {
      out.add(message(b));
    }
    return out;
  }

  static Field field(List<UnknownFieldSet> messages) {
    Field.Builder f = Field.newBuilder();
    for (UnknownFieldSet m : messages) {
      f.addLengthDelimited(m.toByteString());
    }
    return f.build();
  }

  static String string(UnknownFieldSet m, int number) {
    List<ByteString> values = m.getField(number).getLengthDelimitedList();
    return values.isEmpty() ? "" : values.get(0).toStringUtf8();
  }

  static List<String> strings(UnknownFieldSet m, int number) {
    return m.getField(number).getLengthDelimitedList().stream()
        .map(ByteString::toStringUtf8)
        .toList();
  }

  static Field strings(String... values) {
    Field.Builder f = Field.newBuilder();
    for (String v : values) {
      f.addLengthDelimited(ByteString.copyFromUtf8(v));
    }
    return f.build();
  }
}
