/* Exit statuses of mvcli: scripts branch on them, so each one has one meaning.
 * 0 success, 1 usage or local problem, 2 the API answered with an error,
 * 3 the relay could not be reached (connection or TLS). */
#ifndef MVC_EXIT_H
#define MVC_EXIT_H

enum mvc_exit {
    MVC_EXIT_OK = 0,
    MVC_EXIT_USAGE = 1,
    MVC_EXIT_API = 2,
    MVC_EXIT_CONN = 3,
};

#endif
