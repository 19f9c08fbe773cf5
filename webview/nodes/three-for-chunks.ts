/**
 * The part of three.js the lazily loaded splat renderer (dist/webview-splats.js) uses, handed
 * to it from this bundle so that both draw with one three: a second copy would double the
 * download and break the renderer's checks on our scene, camera and renderer objects. The
 * chunk's build (scripts/build.mjs) resolves "three" to this object; only these names are
 * kept in the main bundle for it, and test/unit/viewer-splat-chunk.test.mjs fails when the
 * renderer starts to use one that is missing.
 */
import {
  Box3, BufferAttribute, BufferGeometry, Camera, Color, ColorManagement, CubeCamera, DataArrayTexture, DataTexture, DoubleSide, Euler,
  FileLoader, Float32BufferAttribute, FloatType, GLSL3, InstancedBufferGeometry, LinearFilter, LinearMipMapLinearFilter, LinearSRGBColorSpace,
  Loader, Matrix2, Matrix3, Matrix4, Mesh, MeshStandardMaterial, NearestFilter, Object3D, OrthographicCamera, PMREMGenerator,
  PerspectiveCamera, Quaternion, REVISION, RGBAFormat, RGBAIntegerFormat, RGIntegerFormat, RawShaderMaterial, Raycaster, SRGBColorSpace,
  ShaderChunk, ShaderMaterial, Texture, Timer, UnsignedByteType, UnsignedIntType, UnsignedShortType, Vector2, Vector3, Vector4,
  WebGLArrayRenderTarget, WebGLCubeRenderTarget, WebGLRenderTarget,
} from "three";

export const THREE_FOR_CHUNKS = {
  Box3, BufferAttribute, BufferGeometry, Camera, Color, ColorManagement, CubeCamera, DataArrayTexture, DataTexture, DoubleSide, Euler,
  FileLoader, Float32BufferAttribute, FloatType, GLSL3, InstancedBufferGeometry, LinearFilter, LinearMipMapLinearFilter, LinearSRGBColorSpace,
  Loader, Matrix2, Matrix3, Matrix4, Mesh, MeshStandardMaterial, NearestFilter, Object3D, OrthographicCamera, PMREMGenerator,
  PerspectiveCamera, Quaternion, REVISION, RGBAFormat, RGBAIntegerFormat, RGIntegerFormat, RawShaderMaterial, Raycaster, SRGBColorSpace,
  ShaderChunk, ShaderMaterial, Texture, Timer, UnsignedByteType, UnsignedIntType, UnsignedShortType, Vector2, Vector3, Vector4,
  WebGLArrayRenderTarget, WebGLCubeRenderTarget, WebGLRenderTarget,
};

/** The global the chunk reads three from (set before the chunk's script is added). */
export const THREE_GLOBAL = "__sceneRunnerThree";
/** The global the chunk leaves its exports in. */
export const SPLATS_GLOBAL = "__sceneRunnerSplats";
