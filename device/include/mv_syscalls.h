/* The application API: every type, enum and system call of the Microvisor API with
 * the same names, values and layouts (see docs/mv-api.md), so existing Microvisor
 * application code compiles unchanged. Each call is a system call into the kernel. */
#ifndef MV_API_H
#define MV_API_H

#include <stdint.h>

/* ---- status codes: every call returns one ---------------------------------------- */
enum MvStatus {
    MV_STATUS_OKAY = 0x0,
    MV_STATUS_TIMENOTSET = 0x1,
    MV_STATUS_PARAMETERFAULT = 0x2, /* a pointer the application may not access */
    MV_STATUS_INVALIDBUFFERSIZE = 0x3,
    MV_STATUS_PERIPHERALACCESSFAULT = 0x4,
    MV_STATUS_BUFFERALREADYINUSE = 0x5,
    MV_STATUS_INVALIDINTERRUPT = 0x6,
    MV_STATUS_INVALIDHANDLE = 0x7, /* invalid, or a handle of another object type */
    MV_STATUS_TOOMANYNOTIFICATIONBUFFERS = 0x8,
    MV_STATUS_INVALIDVECTOR = 0x9,
    MV_STATUS_UNAVAILABLE = 0xa,
    MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION = 0xb,
    MV_STATUS_TOOMANYCHANNELS = 0xc,
    MV_STATUS_UNKNOWNCHANNELENDPOINT = 0xd,
    MV_STATUS_UNKNOWNCHANNELTYPE = 0xe,
    MV_STATUS_CHANNELCLOSED = 0xf,
    MV_STATUS_NETWORKNOTCONNECTED = 0x10,
    MV_STATUS_RATELIMITED = 0x11,
    MV_STATUS_INVALIDBUFFERALIGNMENT = 0x12,
    MV_STATUS_LATEFAULT = 0x13, /* fault found after the action took effect */
    MV_STATUS_RESPONSENOTPRESENT = 0x14,
    MV_STATUS_INDEXINVALID = 0x15,
    MV_STATUS_OFFSETINVALID = 0x16,
    MV_STATUS_REQUESTALREADYSENT = 0x17,
    MV_STATUS_REQUESTUNSUCCESSFUL = 0x18,
    MV_STATUS_LOGMESSAGETOOLONG = 0x19,
    MV_STATUS_LOGGINGDISABLEDBYSERVER = 0x1a,
    MV_STATUS_TOOMANYCONFIGKEYS = 0x1b,
    MV_STATUS_UNKNOWNCONFIGSTORE = 0x1c,
    MV_STATUS_UNKNOWNCONFIGSCOPE = 0x1d,
    MV_STATUS_INVALIDCONFIGKEY = 0x1e, /* printable ASCII only */
    MV_STATUS_INVALIDAUTHENTICATION = 0x1f,
    MV_STATUS_WRONGDATAREQUESTED = 0x20,
    MV_STATUS_INTERNALERROR = 0x21,
    MV_STATUS_TOOMANYELEMENTS = 0x22,
    MV_STATUS_REQUIREDELEMENTMISSING = 0x23,
    MV_STATUS_MICROVISORBUSY = 0x24,
    MV_STATUS_ADDRESSOUTOFRANGE = 0x25,
    MV_STATUS_INPUTTOOLONG = 0x26,
    MV_STATUS__MAX = 0xffffffff, /* forces a 32-bit enum */
};

/* ---- notifications ------------------------------------------------------------------ */
enum MvEventType {
    MV_EVENTTYPE_NOEVENT = 0x0,
    MV_EVENTTYPE_NETWORKSTATUSCHANGED = 0x1,
    MV_EVENTTYPE_CHANNELDATAREADABLE = 0x2,
    MV_EVENTTYPE_CHANNELDATAWRITESPACE = 0x3,
    MV_EVENTTYPE_CHANNELNOTCONNECTED = 0x4,
    MV_EVENTTYPE_UPDATEDOWNLOADED = 0x5,
    MV_EVENTTYPE__MAX = 0xffffffff,
};

struct MvNotification {
    uint64_t microseconds; /* same time base as mvGetMicroseconds() */
    enum MvEventType event_type;
    uint32_t tag;
};

struct MvNotificationSetup {
    uint32_t irq;
    struct MvNotification *buffer;
    uint32_t buffer_size; /* multiple of 16, at least 32 */
};

/* Handles: random non-zero 32-bit values chosen by the kernel, never dereferenced. */
typedef struct MvNotificationHandleOpaque *MvNotificationHandle;
typedef struct MvNetworkHandleOpaque *MvNetworkHandle;
typedef struct MvChannelHandleOpaque *MvChannelHandle;
typedef struct MvSystemEventHandleOpaque *MvSystemEventHandle;
typedef struct MvExternalFlashHandleOpaque *MvExternalFlashHandle;

/* ---- network ----------------------------------------------------------------------- */
struct MvRequestNetworkParams {
    uint32_t version;
    union {
        struct {
            MvNotificationHandle notification_handle;
            uint32_t notification_tag;
        } v1;
    };
};

enum MvNetworkStatus {
    MV_NETWORKSTATUS_DELIBERATELYOFFLINE = 0x0,
    MV_NETWORKSTATUS_CONNECTED = 0x1,
    MV_NETWORKSTATUS_CONNECTING = 0x2,
    MV_NETWORKSTATUS_DISCONNECTEDWITHLINKUP = 0x3,
    MV_NETWORKSTATUS__MAX = 0xffffffff,
};

enum MvNetworkReason { /* bit field */
    MV_NETWORKREASON_NOTCONNECTING = 0x0,
    MV_NETWORKREASON_USINGNETWORK = 0x1,
    MV_NETWORKREASON_NEVERUSEDNETWORKAPI = 0x2,
    MV_NETWORKREASON_MINIMUMCHECKINEXPIRED = 0x4,
    MV_NETWORKREASON_RTCNOTSET = 0x8,
    MV_NETWORKREASON_KERNELERROR = 0x10,
    MV_NETWORKREASON_APPLICATIONERROR = 0x20,
    MV_NETWORKREASON_COLDBOOTCONNECTION = 0x40,
    MV_NETWORKREASON_FETCHINGUPDATE = 0x80,
    MV_NETWORKREASON_DEBUGGERATTACHED = 0x100,
    MV_NETWORKREASON_NOAPPLICATIONCODE = 0x200,
    MV_NETWORKREASON_ENHANCECALM = 0x800,
    MV_NETWORKREASON__MAX = 0xffffffff,
};

/* ---- channels ---------------------------------------------------------------------- */
enum MvChannelType {
    MV_CHANNELTYPE_OPAQUEBYTES = 0x0,
    MV_CHANNELTYPE_MQTT = 0x1,
    MV_CHANNELTYPE_HTTP = 0x2,
    MV_CHANNELTYPE_CONFIGFETCH = 0x3,
    MV_CHANNELTYPE__MAX = 0xffffffff,
};

struct MvSizedString { /* not NUL-terminated */
    const uint8_t *data;
    uint32_t length;
};

struct MvSizedStringBuffer { /* the kernel writes *length */
    uint8_t *data;
    uint32_t size;
    uint32_t *length;
};

struct MvOpenChannelParams {
    uint32_t version;
    union {
        struct {
            MvNotificationHandle notification_handle;
            uint32_t notification_tag;
            MvNetworkHandle network_handle;
            uint8_t *receive_buffer;
            uint32_t receive_buffer_len;
            uint8_t *send_buffer;
            uint32_t send_buffer_len;
            enum MvChannelType channel_type;
            struct MvSizedString endpoint;
        } v1;
    };
};

enum MvClosureReason {
    MV_CLOSUREREASON_NONE = 0x0,
    MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER = 0x1,
    MV_CLOSUREREASON_CHANNELRESETBYSERVER = 0x2,
    MV_CLOSUREREASON_NETWORKDISCONNECTED = 0x3,
    MV_CLOSUREREASON_CONNECTIONTERMINATED = 0x4,
    MV_CLOSUREREASON_NOTYETOPEN = 0x5,
    MV_CLOSUREREASON_CLOSEDBYAPPLICATION = 0x6,
    MV_CLOSUREREASON_UNEXPECTEDLYTERMINATED = 0x7,
    MV_CLOSUREREASON__MAX = 0xffffffff,
};

/* ---- HTTP ----------------------------------------------------------------------------- */
struct MvHttpHeader { /* length first, unlike MvSizedString */
    uint32_t length;
    const uint8_t *data;
};

struct MvHttpRequest {
    struct MvSizedString method; /* GET HEAD POST PUT DELETE PATCH OPTIONS */
    struct MvSizedString url;    /* https:// only */
    uint32_t num_headers;        /* at most 32 */
    const struct MvHttpHeader *headers;
    struct MvSizedString body;
    uint32_t timeout_ms; /* 5000..10000 */
};

enum MvHttpResult {
    MV_HTTPRESULT_OK = 0x0,
    MV_HTTPRESULT_UNSUPPORTEDURISCHEME = 0x1,
    MV_HTTPRESULT_UNSUPPORTEDMETHOD = 0x2,
    MV_HTTPRESULT_INVALIDHEADERS = 0x3,
    MV_HTTPRESULT_INVALIDTIMEOUT = 0x4,
    MV_HTTPRESULT_REQUESTFAILED = 0x5,
    MV_HTTPRESULT_RESPONSETOOLARGE = 0x6,
    MV_HTTPRESULT__MAX = 0xffffffff,
};

struct MvHttpResponseData {
    enum MvHttpResult result;
    uint32_t status_code;
    uint32_t num_headers;
    uint32_t body_length;
};

/* ---- configuration and secrets ------------------------------------------------------ */
enum MvConfigKeyFetchScope {
    MV_CONFIGKEYFETCHSCOPE_ACCOUNT = 0x0,
    MV_CONFIGKEYFETCHSCOPE_DEVICE = 0x1,
    MV_CONFIGKEYFETCHSCOPE__MAX = 0xffffffff,
};

enum MvConfigKeyFetchStore {
    MV_CONFIGKEYFETCHSTORE_SECRET = 0x0,
    MV_CONFIGKEYFETCHSTORE_CONFIG = 0x1,
    MV_CONFIGKEYFETCHSTORE__MAX = 0xffffffff,
};

struct MvConfigKeyToFetch {
    enum MvConfigKeyFetchScope scope;
    enum MvConfigKeyFetchStore store;
    struct MvSizedString key;
};

struct MvConfigKeyFetchParams {
    uint32_t num_items;
    const struct MvConfigKeyToFetch *keys_to_fetch;
};

enum MvConfigFetchResult {
    MV_CONFIGFETCHRESULT_OK = 0x0,
    MV_CONFIGFETCHRESULT_RESPONSETOOLARGE = 0x1,
    MV_CONFIGFETCHRESULT__MAX = 0xffffffff,
};

struct MvConfigResponseData {
    enum MvConfigFetchResult result;
    uint32_t num_items;
};

enum MvConfigKeyFetchResult {
    MV_CONFIGKEYFETCHRESULT_OK = 0x0,
    MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND = 0x1,
    MV_CONFIGKEYFETCHRESULT_SERVERERROR = 0x2,
    MV_CONFIGKEYFETCHRESULT__MAX = 0xffffffff,
};

struct MvConfigResponseReadItemParams {
    uint32_t item_index;
    enum MvConfigKeyFetchResult *result;
    struct MvSizedStringBuffer buf;
};

/* ---- MQTT ------------------------------------------------------------------------------ */
enum MvMqttReadableDataType {
    MV_MQTTREADABLEDATATYPE_NONE = 0x0,
    MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED = 0x1,
    MV_MQTTREADABLEDATATYPE_MESSAGELOST = 0x2,
    MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE = 0x3,
    MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE = 0x4,
    MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE = 0x5,
    MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE = 0x6,
    MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE = 0x7,
    MV_MQTTREADABLEDATATYPE__MAX = 0xffffffff,
};

enum MvMqttProtocolVersion {
    MV_MQTTPROTOCOLVERSION_V3_1_1 = 0x0,
    MV_MQTTPROTOCOLVERSION_V5 = 0x1,
    MV_MQTTPROTOCOLVERSION__MAX = 0xffffffff,
};

enum MvMqttAuthenticationMethod {
    MV_MQTTAUTHENTICATIONMETHOD_NONE = 0x0,
    MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD = 0x1,
    MV_MQTTAUTHENTICATIONMETHOD__MAX = 0xff,
};

struct MvUsernamePassword {
    struct MvSizedString username;
    struct MvSizedString password;
};

struct MvMqttAuthentication {
    enum MvMqttAuthenticationMethod method;
    struct MvUsernamePassword username_password;
};

struct MvTlsCertificateChain {
    uint32_t num_certs; /* at most 8 */
    const struct MvSizedString *certs;
};

struct MvOwnTlsCertificateChain {
    struct MvTlsCertificateChain chain;
    struct MvSizedString key;
};

struct MvTlsCredentials {
    struct MvTlsCertificateChain cacert;
    struct MvOwnTlsCertificateChain clientcert;
};

struct MvMqttWill {
    struct MvSizedString topic;
    struct MvSizedString payload;
    uint32_t qos;
    uint8_t retain;
};

struct MvMqttConnectRequest {
    enum MvMqttProtocolVersion protocol_version;
    struct MvSizedString host;
    uint16_t port;
    struct MvSizedString clientid;
    struct MvMqttAuthentication authentication;
    const struct MvTlsCredentials *tls_credentials; /* optional */
    uint32_t keepalive;
    uint8_t clean_start;
    const struct MvMqttWill *will; /* optional */
};

enum MvMqttRequestState {
    MV_MQTTREQUESTSTATE_REQUESTCOMPLETED = 0x0,
    MV_MQTTREQUESTSTATE_INVALIDPARAMETERS = 0x1,
    MV_MQTTREQUESTSTATE_ALREADYCONNECTED = 0x2,
    MV_MQTTREQUESTSTATE_NOTCONNECTED = 0x3,
    MV_MQTTREQUESTSTATE_NXDOMAIN = 0x4,
    MV_MQTTREQUESTSTATE_UNKNOWNCA = 0x5,
    MV_MQTTREQUESTSTATE_CERTIFICATEEXPIRED = 0x6,
    MV_MQTTREQUESTSTATE_SOCKETERROR = 0x7,
    MV_MQTTREQUESTSTATE_CONNECTIONCIRCUITBREAKER = 0x8,
    MV_MQTTREQUESTSTATE__MAX = 0xffffffff,
};

struct MvMqttConnectResponse {
    enum MvMqttRequestState request_state;
    uint32_t reason_code;
};

struct MvMqttSubscription {
    struct MvSizedString topic;
    uint32_t desired_qos;
    uint32_t nl;  /* no local (v5) */
    uint32_t rap; /* retain as published (v5) */
    uint32_t rh;  /* retain handling (v5) */
};

struct MvMqttSubscribeRequest {
    uint32_t correlation_id;
    const struct MvMqttSubscription *subscriptions;
    uint32_t num_subscriptions; /* at most 8 */
};

struct MvMqttSubscribeResponse {
    enum MvMqttRequestState *request_state;
    uint32_t *correlation_id;
    uint32_t *reason_codes;
    uint32_t reason_codes_size; /* bytes */
    uint32_t *reason_codes_len;
};

struct MvMqttUnsubscribeRequest {
    uint32_t correlation_id;
    const struct MvSizedString *topics;
    uint32_t num_topics; /* at most 8 */
};

struct MvMqttUnsubscribeResponse {
    enum MvMqttRequestState *request_state;
    uint32_t *correlation_id;
    uint32_t *reason_codes;
    uint32_t reason_codes_size; /* bytes */
    uint32_t *reason_codes_len;
};

struct MvMqttPublishRequest {
    uint32_t correlation_id;
    struct MvSizedString topic;
    struct MvSizedString payload;
    uint32_t desired_qos;
    uint32_t retain;
};

struct MvMqttPublishResponse {
    enum MvMqttRequestState request_state;
    uint32_t correlation_id;
    uint32_t reason_code;
};

struct MvMqttMessage {
    uint32_t *correlation_id;
    struct MvSizedStringBuffer topic;
    struct MvSizedStringBuffer payload;
    uint32_t *qos;
    uint8_t *retain;
};

enum MvMqttLostMessageReason {
    MV_MQTTLOSTMESSAGEREASON_DEVICERECEIVEBUFFERTOOSMALL = 0x0,
    MV_MQTTLOSTMESSAGEREASON__MAX = 0xffffffff,
};

struct MvMqttLostMessageInfo {
    enum MvMqttLostMessageReason *reason;
    struct MvSizedStringBuffer topic;
    uint32_t *message_len;
};

struct MvMqttDisconnectResponse {
    enum MvMqttRequestState request_state;
    uint32_t disconnect_code;
};

/* ---- power, restart, system events -------------------------------------------------- */
enum MvPowerSavingMode {
    MV_POWERSAVINGMODE_SLEEP = 0x0,
    MV_POWERSAVINGMODE_STOP0 = 0x1,
    MV_POWERSAVINGMODE_STOP1 = 0x2,
    MV_POWERSAVINGMODE_STOP2 = 0x3,
    MV_POWERSAVINGMODE_STOP3 = 0x4,
    MV_POWERSAVINGMODE__MAX = 0xff,
};

enum MvSystemNotificationSource {
    MV_SYSTEMNOTIFICATIONSOURCE_NETWORK = 0x0,
    MV_SYSTEMNOTIFICATIONSOURCE_UPDATE = 0x1,
    MV_SYSTEMNOTIFICATIONSOURCE__MAX = 0xffffffff,
};

struct MvOpenSystemNotificationParams {
    MvNotificationHandle notification_handle;
    uint32_t notification_tag;
    enum MvSystemNotificationSource notification_source;
};

enum MvDeepSleepMode {
    MV_DEEPSLEEPMODE_STANDBY = 0x0,
    MV_DEEPSLEEPMODE_SHUTDOWN = 0x1,
    MV_DEEPSLEEPMODE__MAX = 0xff,
};

enum MvWakeReason {
    MV_WAKEREASON_COLDBOOT = 0x0,
    MV_WAKEREASON_REMOTEMICROVISORRESTART = 0x1,
    MV_WAKEREASON_REMOTEAPPLICATIONRESTART = 0x2,
    MV_WAKEREASON_DEBUGGERRESTART = 0x3,
    MV_WAKEREASON_MICROVISORCRASH = 0x4,
    MV_WAKEREASON_MICROVISORWATCHDOG = 0x5,
    MV_WAKEREASON_MICROVISOROUTOFMEMORY = 0x6,
    MV_WAKEREASON_MICROVISORERROR = 0x7,
    MV_WAKEREASON_APPLICATIONCRASH = 0x8,
    MV_WAKEREASON_APPLICATIONUPDATE = 0x9,
    MV_WAKEREASON_MICROVISORUPDATE = 0xa,
    MV_WAKEREASON_OPTIONBYTES = 0xb,
    MV_WAKEREASON_DEEPSLEEPCHECKIN = 0xc,
    MV_WAKEREASON_DEEPSLEEPAPPLICATION = 0xd,
    MV_WAKEREASON_DEEPSLEEPMODEM = 0xe,
    MV_WAKEREASON_DEEPSLEEPAPPLICATIONRTC = 0xf,
    MV_WAKEREASON_DEEPSLEEPOTHER = 0x10,
    MV_WAKEREASON__MAX = 0xff,
};

enum MvRestartMode {
    MV_RESTARTMODE_AUTOAPPLYUPDATE = 0x0,
    MV_RESTARTMODE__MAX = 0xffffffff,
};

/* ---- external flash and Wi-Fi --------------------------------------------------------- */
struct MvExternalFlashInfo {
    uint32_t version;
    union {
        struct {
            uint32_t chip_id;
            uint32_t size; /* bytes available to the application */
            uint32_t num_handles;
        } v1;
    };
};

enum MvWifiConfigMode {
    MV_WIFICONFIGMODE_APPLYNOW = 0x0,
    MV_WIFICONFIGMODE_CLEARNOW = 0x1,
    MV_WIFICONFIGMODE__MAX = 0xff,
};

struct MvWifiConfig {
    uint32_t version;
    union {
        struct {
            enum MvWifiConfigMode config_mode;
            struct MvSizedString wifi_ssid;
            struct MvSizedString wifi_password;
        } v1;
    };
};

struct MvWifiConfigOut {
    uint32_t version;
    union {
        struct {
            struct MvSizedStringBuffer ssid;
            uint8_t *has_encryption;
        } v1;
    };
};

#ifdef __cplusplus
extern "C" {
#endif

/* ---- system calls (the generator parses these prototypes: one per line) ---------- */
/* Time and device */
enum MvStatus mvNoOp(void);
enum MvStatus mvGetMicroseconds(uint64_t *usec);
enum MvStatus mvGetSysClk(uint32_t *hz);
enum MvStatus mvGetHClk(uint32_t *hz);
enum MvStatus mvGetPClk1(uint32_t *hz);
enum MvStatus mvGetPClk2(uint32_t *hz);
enum MvStatus mvGetWallTime(uint64_t *usec);
enum MvStatus mvGetDeviceId(uint8_t *buf, uint32_t len);
enum MvStatus mvPeriphPeek32(uint32_t reg, uint32_t *output);
enum MvStatus mvPeriphPoke32(uint32_t reg, uint32_t mask, uint32_t xorvalue);

/* Notifications */
enum MvStatus mvSetupNotifications(const struct MvNotificationSetup *notifications, MvNotificationHandle *handle_out);
enum MvStatus mvCloseNotifications(MvNotificationHandle *handle_in_out);
enum MvStatus mvTempTriggerNotification(MvNotificationHandle handle, enum MvEventType type, uint32_t tag);
enum MvStatus mvOpenSystemNotification(const struct MvOpenSystemNotificationParams *params, MvSystemEventHandle *handle);
enum MvStatus mvCloseSystemNotification(MvSystemEventHandle *handle);

/* Fast interrupts */
enum MvStatus mvSetFastInterrupt(uint32_t irqn);
enum MvStatus mvClearFastInterrupt(uint32_t irqn);
enum MvStatus mvEnableFastInterrupt(uint32_t irqn);
enum MvStatus mvDisableFastInterrupt(uint32_t irqn);
enum MvStatus mvDisableAllFastInterrupts(void);
enum MvStatus mvEnableAllFastInterrupts(void);

/* Network */
enum MvStatus mvRequestNetwork(const struct MvRequestNetworkParams *params, MvNetworkHandle *handle);
enum MvStatus mvReleaseNetwork(MvNetworkHandle *handle);
enum MvStatus mvGetNetworkStatus(MvNetworkHandle handle, enum MvNetworkStatus *status);
enum MvStatus mvGetNetworkReasons(enum MvNetworkReason *reasons, uint32_t *request_ref_count);

/* Channels */
enum MvStatus mvOpenChannel(const struct MvOpenChannelParams *params, MvChannelHandle *handle);
enum MvStatus mvReadChannel(MvChannelHandle handle, uint8_t **read_pointer_out, uint32_t *length_out);
enum MvStatus mvReadChannelComplete(MvChannelHandle handle, uint32_t consumed);
enum MvStatus mvWriteChannelStream(MvChannelHandle handle, const uint8_t *data, uint32_t len, uint32_t *written);
enum MvStatus mvWriteChannel(MvChannelHandle handle, const uint8_t *data, uint32_t len, uint32_t *available);
enum MvStatus mvCloseChannel(MvChannelHandle *handle);
enum MvStatus mvGetChannelClosureReason(MvChannelHandle handle, enum MvClosureReason *reason_out);

/* HTTP */
enum MvStatus mvSendHttpRequest(MvChannelHandle handle, const struct MvHttpRequest *request);
enum MvStatus mvReadHttpResponseData(MvChannelHandle handle, struct MvHttpResponseData *response_data);
enum MvStatus mvReadHttpResponseHeader(MvChannelHandle handle, uint32_t header_index, uint8_t *buf, uint32_t size);
enum MvStatus mvReadHttpResponseBody(MvChannelHandle handle, uint32_t offset, uint8_t *buf, uint32_t size);

/* Server logging */
enum MvStatus mvServerLoggingInit(uint8_t *buffer, uint32_t length_bytes);
enum MvStatus mvServerLog(const uint8_t *message, uint16_t length_bytes);

/* Configuration and secrets */
enum MvStatus mvSendConfigFetchRequest(MvChannelHandle handle, const struct MvConfigKeyFetchParams *request);
enum MvStatus mvReadConfigFetchResponseData(MvChannelHandle handle, struct MvConfigResponseData *response_data);
enum MvStatus mvReadConfigResponseItem(MvChannelHandle handle, const struct MvConfigResponseReadItemParams *params);

/* MQTT */
enum MvStatus mvMqttGetNextReadableDataType(MvChannelHandle handle, enum MvMqttReadableDataType *data_type);
enum MvStatus mvMqttRequestConnect(MvChannelHandle handle, const struct MvMqttConnectRequest *request);
enum MvStatus mvMqttReadConnectResponse(MvChannelHandle handle, struct MvMqttConnectResponse *response_data);
enum MvStatus mvMqttRequestSubscribe(MvChannelHandle handle, const struct MvMqttSubscribeRequest *request);
enum MvStatus mvMqttReadSubscribeResponse(MvChannelHandle handle, const struct MvMqttSubscribeResponse *response_data);
enum MvStatus mvMqttRequestUnsubscribe(MvChannelHandle handle, const struct MvMqttUnsubscribeRequest *request);
enum MvStatus mvMqttReadUnsubscribeResponse(MvChannelHandle handle, const struct MvMqttUnsubscribeResponse *response_data);
enum MvStatus mvMqttRequestPublish(MvChannelHandle handle, const struct MvMqttPublishRequest *request);
enum MvStatus mvMqttReadPublishResponse(MvChannelHandle handle, struct MvMqttPublishResponse *response_data);
enum MvStatus mvMqttReceiveMessage(MvChannelHandle handle, const struct MvMqttMessage *message_data);
enum MvStatus mvMqttReceiveLostMessageInfo(MvChannelHandle handle, const struct MvMqttLostMessageInfo *lost_message_info);
enum MvStatus mvMqttAcknowledgeMessage(MvChannelHandle handle, uint32_t correlation_id);
enum MvStatus mvMqttRequestDisconnect(MvChannelHandle handle);
enum MvStatus mvMqttReadDisconnectResponse(MvChannelHandle handle, struct MvMqttDisconnectResponse *response_data);

/* Power, restart, testing */
enum MvStatus mvPowerSave(enum MvPowerSavingMode mode);
enum MvStatus mvSystemLedEnable(uint32_t enable);
enum MvStatus mvDeepSleep(enum MvDeepSleepMode mode);
enum MvStatus mvGetWakeReason(enum MvWakeReason *mode);
enum MvStatus mvRestart(enum MvRestartMode mode);
enum MvStatus mvTestingComplete(uint32_t status);
enum MvStatus mvTestLoggingInit(uint8_t *buffer, uint32_t length_bytes);
enum MvStatus mvTestLog(const uint8_t *message, uint16_t length_bytes);

/* External flash */
enum MvStatus mvExternalFlashOpen(MvExternalFlashHandle *handle);
enum MvStatus mvExternalFlashClose(MvExternalFlashHandle *handle);
enum MvStatus mvExternalFlashReadBlocking(MvExternalFlashHandle handle, uint32_t address, uint32_t length, uint8_t *buffer);
enum MvStatus mvExternalFlashEraseBlocking(MvExternalFlashHandle handle, uint32_t address, uint32_t length);
enum MvStatus mvExternalFlashWriteBlocking(MvExternalFlashHandle handle, uint32_t address, uint32_t length, const uint8_t *buffer);
enum MvStatus mvExternalFlashGetInfo(MvExternalFlashHandle handle, struct MvExternalFlashInfo *info);

/* Wi-Fi */
enum MvStatus mvSetWifiConfig(const struct MvWifiConfig *params);
enum MvStatus mvGetWifiConfig(const struct MvWifiConfigOut *params);

#ifdef __cplusplus
}
#endif

#endif
