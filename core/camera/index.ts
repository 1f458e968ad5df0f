// Camera geometry (afw.cameraGeom): the model, cameras shipped as YAML data, geometry read from raw
// headers, and where detectors land on the focal plane and the sky.
export * from './geometry.js';
export { parseCameraYaml } from './cameraYaml.js';
export { cameraDataDir, loadCamera, loadCameraFile, shippedCameras } from './cameraData.js';
export { detectorFromJson, detectorToJson } from './detectorJson.js';
export { detectorFromHeader } from './headerGeometry.js';
export { detectorSkyCorners, focalPlaneToSky, pixelToSkyApprox, type Boresight } from './skyProjection.js';
