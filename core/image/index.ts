// The image model (afw.image): boxes, images over typed arrays, masks with named planes,
// masked images with afw arithmetic, exposures.
export { Box2I, type Point2I } from './box.js';
export { Image, allocatePixels, pixelTypeOf, toPixelType, type PixelArray, type PixelType, type ImageOptions, type VarianceImage } from './image.js';
export { Mask } from './mask.js';
export { MaskPlaneDict, DEFAULT_MASK_PLANES, MASK_PLANE_KEYWORD_PREFIX, MAX_MASK_PLANES } from './maskPlanes.js';
export { MaskedImage } from './maskedImage.js';
export { Exposure, type ExposureInfo } from './exposure.js';
export { makeVisitInfo, type VisitInfo, type FilterLabel } from './visitInfo.js';
