/* awk built-in function calls (included by awk_eval.h): call_builtin()
 * checks the argument count and dispatches on the name's index in
 * builtin_names[]. */
#ifndef STRATA_AWK_CALL_H
#define STRATA_AWK_CALL_H

static unsigned long long rand_state = 0;
static double rand_seed = 0;

static double next_rand(void) {
  /* 48-bit linear congruential generator (the drand48 constants) */
  rand_state = ((rand_state * 0x5DEECE66DULL + 0xB) & 0xFFFFFFFFFFFFULL);
  return (double)(rand_state >> 17) / 2147483648.0;
}

static void seed_rand(double seed) {
  rand_seed = seed;
  rand_state = ((unsigned long long)(long long)seed << 16) + 0x330E;
}

static void array_sink(void *ctx, int i, const char *s, size_t n) {
  char key[16];
  snprintf(key, sizeof key, "%d", i);
  struct val *v = arr_get(ctx, key);
  val_free(v);
  *v = input_val(xstrndup(s, n));
}

static struct val bi_split(struct node *n) {
  if (n->list[1]->op != N_VAR && n->list[1]->op != N_LOCAL) fatal("split: second argument is not an array%s", "");
  char *s = eval_str(n->list[0]);
  struct arr *a = get_array(n->list[1]);
  char *fs;
  int force_re = 0;
  if (n->nlist < 3) fs = xstrdup(val_str(&v_FS->v));
  else if (n->list[2]->op == N_REGEX) fs = xstrdup(n->list[2]->str), force_re = 1;
  else fs = eval_str(n->list[2]);
  arr_clear(a);
  int count = awk_split(s, fs, force_re, array_sink, a);
  free(s);
  free(fs);
  return num_val(count);
}

static struct val bi_sub(struct node *n, int global) {
  struct re *re = node_re(n->list[0]);
  char *repl = eval_str(n->list[1]);
  int store = n->nlist < 3 || is_lvalue(n->list[2]); /* else only counted */
  struct lref ref = {NULL, 0};
  if (n->nlist > 2 && store) ref = lvalue_ref(n->list[2]);
  struct val target = store ? lref_get(ref) : eval(n->list[2]);
  int count;
  char *out = substitute(re, repl, val_str(&target), global, &count);
  val_free(&target);
  free(repl);
  if (count && store) {
    struct val r = lref_store(ref, str_val(out));
    val_free(&r);
  } else free(out);
  return num_val(count);
}

static struct val bi_substr(struct node *n) {
  char *s = eval_str(n->list[0]);
  double len = (double)strlen(s), m = eval_num(n->list[1]);
  double start = m, end = n->nlist > 2 ? m + eval_num(n->list[2]) : len + 1;
  start = start - floor(start) >= 0.5 ? ceil(start) : floor(start);
  end = end - floor(end) >= 0.5 ? ceil(end) : floor(end);
  if (start < 1) start = 1;
  if (end > len + 1) end = len + 1;
  char *r = end > start ? xstrndup(s + (size_t)start - 1, (size_t)(end - start)) : xstrdup("");
  free(s);
  return str_val(r);
}

static struct val bi_match(struct node *n) {
  char *s = eval_str(n->list[0]);
  long cap[2 * RE_NSUB];
  double start = 0, len = -1;
  if (re_match_str(node_re(n->list[1]), s, cap)) {
    start = (double)cap[0] + 1;
    len = (double)(cap[1] - cap[0]);
  }
  free(s);
  val_free(&v_RSTART->v);
  v_RSTART->v = num_val(start);
  val_free(&v_RLENGTH->v);
  v_RLENGTH->v = num_val(len);
  return num_val(start);
}

static struct val bi_length(struct node *n) {
  if (!n->nlist) return num_val((double)strlen(val_str(&fields[0])));
  struct node *a = n->list[0];
  if (a->op == N_VAR || a->op == N_LOCAL) {
    struct var *v = var_of(a);
    while (v->ref) v = v->ref;
    if (v->type == T_ARRAY) return num_val((double)v->a->count);
  }
  char *s = eval_str(a);
  double len = (double)strlen(s);
  free(s);
  return num_val(len);
}

static struct val bi_case(struct node *n, int upper) {
  char *s = eval_str(n->list[0]);
  for (char *p = s; *p; p++) *p = (char)(upper ? toupper((unsigned char)*p) : tolower((unsigned char)*p));
  return str_val(s);
}

static struct val bi_sprintf(struct node *n) {
  struct val *args = xmalloc((size_t)n->nlist * sizeof *args);
  for (int i = 0; i < n->nlist; i++) args[i] = eval(n->list[i]);
  size_t len;
  char *s = format(val_str(&args[0]), args + 1, n->nlist - 1, &len);
  for (int i = 0; i < n->nlist; i++) val_free(&args[i]);
  free(args);
  return str_val(s);
}

static struct val bi_index(struct node *n) {
  char *s = eval_str(n->list[0]), *t = eval_str(n->list[1]);
  char *p = strstr(s, t);
  double r = p ? (double)(p - s) + 1 : 0;
  free(s);
  free(t);
  return num_val(r);
}

static struct val bi_system(struct node *n) {
  char *cmd = eval_str(n->list[0]);
  flush_all();
  int st = system(cmd);
  free(cmd);
  if (st >= 0 && (st & 0x7f) == 0) st = (st >> 8) & 0xff;
  else if (st >= 0) st = 256 + (st & 0x7f);
  return num_val(st);
}

static struct val bi_close_flush(struct node *n, int close) {
  if (!n->nlist) {
    flush_all();
    return num_val(0);
  }
  char *name = eval_str(n->list[0]);
  int rc = 0;
  if (close) rc = close_stream(name);
  else {
    struct stream *s = find_stream(name, ST_OUT);
    if (s) fflush(s->f);
    else rc = -1;
  }
  free(name);
  return num_val(rc);
}

/* Minimum and maximum argument counts, in builtin_names[] order. */
static const unsigned char builtin_arity[NBUILTINS][2] = {
    {0, 1}, {2, 3}, {2, 2}, {2, 3}, {2, 3}, {2, 3}, {2, 2}, {1, 255}, {1, 1}, {1, 1}, {1, 1},
    {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {2, 2}, {0, 0}, {0, 1}, {1, 1}, {1, 1}, {0, 1},
};

static struct val call_builtin(struct node *n) {
  const char *name = builtin_names[n->sub];
  if (n->nlist < builtin_arity[n->sub][0] || n->nlist > builtin_arity[n->sub][1])
    fatal("wrong number of arguments to %s", name);
  switch (n->sub) {
  case 0: return bi_length(n);
  case 1: return bi_substr(n);
  case 2: return bi_index(n);
  case 3: return bi_split(n);
  case 4: return bi_sub(n, 0);
  case 5: return bi_sub(n, 1);
  case 6: return bi_match(n);
  case 7: return bi_sprintf(n);
  case 8: return bi_case(n, 0);
  case 9: return bi_case(n, 1);
  case 10: return num_val(trunc(eval_num(n->list[0])));
  case 11: return num_val(sqrt(eval_num(n->list[0])));
  case 12: return num_val(exp(eval_num(n->list[0])));
  case 13: return num_val(log(eval_num(n->list[0])));
  case 14: return num_val(sin(eval_num(n->list[0])));
  case 15: return num_val(cos(eval_num(n->list[0])));
  case 16: {
    double y = eval_num(n->list[0]);
    return num_val(atan2(y, eval_num(n->list[1])));
  }
  case 17: return num_val(next_rand());
  case 18: {
    double prev = rand_seed;
    seed_rand(n->nlist ? eval_num(n->list[0]) : (double)time(NULL));
    return num_val(prev);
  }
  case 19: return bi_system(n);
  case 20: return bi_close_flush(n, 1);
  default: return bi_close_flush(n, 0);
  }
}

#endif
