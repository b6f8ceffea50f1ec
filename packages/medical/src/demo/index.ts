// Synthetic demo data: a CT set with made-up patients for trying the pipeline end to end.
export { HU, randomChest, randomLesion, renderChestSlice, sectionRadius, type ChestAnatomy, type Lesion, type SliceGeometry, type Sphere } from './chest-phantom.js';
export { DEMO_CLASSES, makeDemoCtSet, type DemoCtOptions, type DemoCtSet, type DemoFile } from './demo-ct-set.js';
