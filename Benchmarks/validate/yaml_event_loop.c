/*
 * The floor for `bulk-import validate`: the cheapest possible pass over a YAML file
 * with the same system libyaml. It parses events until STREAM-END, deleting each,
 * counts them and prints the count. It builds no nodes and checks nothing.
 *
 *   cc -O2 yaml_event_loop.c $(pkg-config --cflags --libs yaml-0.1) -o yaml_event_loop
 *   ./yaml_event_loop FILE      -> prints the number of events; exit 1 on a parse error
 */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fprintf(stderr, "yaml_parser_initialize failed\n");
        fclose(f);
        return 2;
    }
    yaml_parser_set_input_file(&parser, f);

    unsigned long long count = 0;
    int status = 0;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "%s:%lu:%lu: error: %s\n", argv[1],
                    (unsigned long)parser.problem_mark.line + 1,
                    (unsigned long)parser.problem_mark.column + 1,
                    parser.problem ? parser.problem : "parse error");
            status = 1;
            break;
        }
        count++;
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        if (done)
            break;
    }
    yaml_parser_delete(&parser);
    fclose(f);
    if (status == 0)
        printf("%llu\n", count);
    return status;
}
