export { dicomJsonItems, dicomJsonNumber, dicomJsonString, dicomJsonStrings, DicomJsonTag, type DicomJsonAttribute, type DicomJsonDataset } from './dicom-json.js';
export {
  DicomwebClient,
  type DicomwebClientOptions,
  type InstanceUIDs,
  type QidoQuery,
  type RetrievedFrame,
  type RetrieveTransferSyntax,
  type StowResult,
} from './dicomweb-client.js';
export { FetchXhr } from './fetch-xhr.js';
