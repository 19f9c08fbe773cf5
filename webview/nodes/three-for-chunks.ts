/**
 * The part of three.js the lazily loaded scripts (dist/webview-splats.js: Spark's splat renderer;
 * dist/webview-loaders.js: the FBX, COLLADA and BVH loaders and the 16-bit PNG decoder) use,
 * handed to them from this bundle so that everything draws with one three: a second copy would
 * double the download and break the loaders' checks on our scene, camera and renderer objects.
 * Their build (scripts/build.mjs) resolves "three" to this object; test/unit/viewer-splat-chunk.test.mjs
 * builds each chunk and fails when one starts to use a name missing here.
 */
import {
  AmbientLight, AnimationClip, Bone, Box3, BufferAttribute, BufferGeometry, Camera, ClampToEdgeWrapping, Color, ColorManagement,
  CubeCamera, Curve, DataArrayTexture, DataTexture, DataTextureLoader, DirectionalLight, DoubleSide,
  EquirectangularReflectionMapping, Euler, FileLoader, Float32BufferAttribute, FloatType, FrontSide, GLSL3, Group,
  InstancedBufferGeometry, InterpolateBezier, InterpolateDiscrete, Line, LineBasicMaterial, LineSegments, LinearFilter,
  LinearMipMapLinearFilter, LinearMipmapLinearFilter, LinearSRGBColorSpace, Loader, LoaderUtils, MathUtils, Matrix2, Matrix3,
  Matrix4, Mesh, MeshBasicMaterial, MeshLambertMaterial, MeshPhongMaterial, MeshStandardMaterial, NearestFilter,
  NumberKeyframeTrack, Object3D, OrthographicCamera, PMREMGenerator, PerspectiveCamera, PointLight, PropertyBinding, Quaternion,
  QuaternionKeyframeTrack, REVISION, RGBAFormat, RGBAIntegerFormat, RGIntegerFormat, RawShaderMaterial, Raycaster, RepeatWrapping,
  SRGBColorSpace, Scene, ShaderChunk, ShaderMaterial, ShapeUtils, Skeleton, SkinnedMesh, SpotLight, Texture, TextureLoader, Timer,
  Triangle, Uint16BufferAttribute, UnsignedByteType, UnsignedIntType, UnsignedShortType, Vector2, Vector3, Vector4,
  VectorKeyframeTrack, WebGLArrayRenderTarget, WebGLCubeRenderTarget, WebGLRenderTarget,
} from "three";

export const THREE_FOR_CHUNKS = {
  AmbientLight, AnimationClip, Bone, Box3, BufferAttribute, BufferGeometry, Camera, ClampToEdgeWrapping, Color, ColorManagement,
  CubeCamera, Curve, DataArrayTexture, DataTexture, DataTextureLoader, DirectionalLight, DoubleSide,
  EquirectangularReflectionMapping, Euler, FileLoader, Float32BufferAttribute, FloatType, FrontSide, GLSL3, Group,
  InstancedBufferGeometry, InterpolateBezier, InterpolateDiscrete, Line, LineBasicMaterial, LineSegments, LinearFilter,
  LinearMipMapLinearFilter, LinearMipmapLinearFilter, LinearSRGBColorSpace, Loader, LoaderUtils, MathUtils, Matrix2, Matrix3,
  Matrix4, Mesh, MeshBasicMaterial, MeshLambertMaterial, MeshPhongMaterial, MeshStandardMaterial, NearestFilter,
  NumberKeyframeTrack, Object3D, OrthographicCamera, PMREMGenerator, PerspectiveCamera, PointLight, PropertyBinding, Quaternion,
  QuaternionKeyframeTrack, REVISION, RGBAFormat, RGBAIntegerFormat, RGIntegerFormat, RawShaderMaterial, Raycaster, RepeatWrapping,
  SRGBColorSpace, Scene, ShaderChunk, ShaderMaterial, ShapeUtils, Skeleton, SkinnedMesh, SpotLight, Texture, TextureLoader, Timer,
  Triangle, Uint16BufferAttribute, UnsignedByteType, UnsignedIntType, UnsignedShortType, Vector2, Vector3, Vector4,
  VectorKeyframeTrack, WebGLArrayRenderTarget, WebGLCubeRenderTarget, WebGLRenderTarget,
};

/** The global the chunks read three from (set before a chunk's script is added). */
export const THREE_GLOBAL = "__sceneRunnerThree";
