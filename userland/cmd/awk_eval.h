/* awk expression evaluation (included once by awk.c).
 *
 *   eval()           an expression node to a fresh value (the caller frees it)
 *   assign()         stores into a variable, array element or field; NF and
 *                    $N rebuild the record, $0 re-splits it
 *   get_array()      the array behind a name (locals follow their reference)
 *   call_function()  user functions: scalars by value, arrays by reference
 *   call_builtin()   the built-in functions */
#ifndef STRATA_AWK_EVAL_H
#define STRATA_AWK_EVAL_H

#include <setjmp.h>

#include "awk_builtin.h"

enum { X_NORMAL, X_BREAK, X_CONTINUE, X_RETURN };

static struct var *frame; /* locals of the running function */
static struct val ret_val;
static int call_depth;
static jmp_buf next_jmp, exit_jmp;
static int exit_code;

static struct val eval(struct node *n);
static int exec(struct node *n);
static void do_getline(struct node *n, struct val *out);

static void fatal(const char *fmt, const char *a) {
  fflush(stdout);
  fprintf(stderr, "awk: ");
  fprintf(stderr, fmt, a);
  fprintf(stderr, "\n");
  exit(2);
}

static double eval_num(struct node *n) {
  struct val v = eval(n);
  double d = val_num(&v);
  val_free(&v);
  return d;
}

static char *eval_str(struct node *n) {
  struct val v = eval(n);
  char *s = (v.fl & (V_STR | V_STRNUM)) ? v.s : xstrdup(val_str(&v));
  if (s != v.s) val_free(&v);
  return s;
}

static struct var *var_of(struct node *n) { return n->op == N_LOCAL ? &frame[n->sub] : n->var; }

static struct arr *get_array(struct node *n) {
  struct var *v = var_of(n);
  while (v->ref) v = v->ref;
  if (v->type == T_UNTYPED) {
    v->type = T_ARRAY;
    v->a = arr_new();
  }
  if (v->type != T_ARRAY) fatal("can't use scalar %s as array", n->str ? n->str : "argument");
  return v->a;
}

static struct val *scalar_of(struct node *n) {
  struct var *v = var_of(n);
  if (v->type == T_ARRAY) fatal("can't use array %s in scalar context", n->str ? n->str : "argument");
  v->type = T_SCALAR;
  return &v->v;
}

/* The subscript string: expressions joined by SUBSEP. */
static char *subscript(struct node **list, int n) {
  if (n == 1) return eval_str(list[0]);
  struct buf b = {0};
  for (int i = 0; i < n; i++) {
    if (i) {
      const char *sep = val_str(&v_SUBSEP->v);
      buf_add(&b, sep, strlen(sep));
    }
    char *s = eval_str(list[i]);
    buf_add(&b, s, strlen(s));
    free(s);
  }
  return buf_take(&b);
}

static struct val *element(struct node *n) {
  struct arr *a = get_array(n->a[0]);
  char *key = subscript(n->list, n->nlist);
  struct val *v = arr_get(a, key);
  free(key);
  return v;
}

static int field_index(struct node *n) {
  double d = eval_num(n->a[0]);
  if (d < 0) fatal("trying to access out of range field %s", "");
  return (int)d;
}

/* A resolved lvalue: a field number, or the value of a variable or element
 * (subscripts and field numbers are evaluated once, as in `a[i++] += 2`). */
struct lref {
  struct val *p;
  int field; /* -1: p */
};

static struct lref lvalue_ref(struct node *n) {
  if (n->op == N_FIELD) return (struct lref){NULL, field_index(n)};
  return (struct lref){n->op == N_INDEX ? element(n) : scalar_of(n), -1};
}

static struct val lref_get(struct lref r) {
  if (r.field >= 0) return r.field <= nf ? val_copy(&fields[r.field]) : uninit_val();
  return val_copy(r.p);
}

/* Stores v (owned); returns a copy of the stored value. */
static struct val lref_store(struct lref r, struct val v) {
  struct val copy = val_copy(&v);
  if (r.field >= 0) set_field(r.field, v);
  else if (r.p == &v_NF->v) {
    set_nf((int)val_num(&v));
    val_free(&v);
  } else {
    val_free(r.p);
    *r.p = v;
    if (r.p == &v_CONVFMT->v) convfmt = val_str(r.p);
  }
  return copy;
}

static struct val assign(struct node *n, struct val v) { return lref_store(lvalue_ref(n), v); }

static struct val get_lvalue(struct node *n) { return lref_get(lvalue_ref(n)); }

static double arith(int op, double a, double b) {
  switch (op) {
  case '+': return a + b;
  case '-': return a - b;
  case '*': return a * b;
  case '/':
    if (b == 0) fatal("division by zero%s", "");
    return a / b;
  case '%':
    if (b == 0) fatal("division by zero in %%%s", "");
    return fmod(a, b);
  default: return pow(a, b);
  }
}

static int is_numeric(const struct val *v) { return (v->fl & (V_NUM | V_STRNUM | V_UNINIT)) != 0; }

static int compare(struct val *a, struct val *b) {
  if (is_numeric(a) && is_numeric(b)) {
    double x = val_num(a), y = val_num(b);
    return x < y ? -1 : x > y;
  }
  return strcmp(val_str(a), val_str(b));
}

static struct re *node_re(struct node *n) {
  if (n->op == N_REGEX) return n->re;
  struct val v = eval(n);
  struct re *re = dynamic_re(val_str(&v));
  val_free(&v);
  return re;
}

static int re_match_str(struct re *re, const char *s, long *cap) {
  return re_exec(re, s, strlen(s), 0, cap);
}

static struct val eval_cmp(struct node *n) {
  struct val a = eval(n->a[0]), b = eval(n->a[1]);
  int c = compare(&a, &b), r;
  switch (n->sub) {
  case '<': r = c < 0; break;
  case '>': r = c > 0; break;
  case TK_LE: r = c <= 0; break;
  case TK_GE: r = c >= 0; break;
  case TK_EQ: r = c == 0; break;
  default: r = c != 0;
  }
  val_free(&a);
  val_free(&b);
  return num_val(r);
}

static struct val eval_incdec(struct node *n) {
  struct lref ref = lvalue_ref(n->a[0]);
  struct val old = lref_get(ref);
  double d = val_num(&old);
  val_free(&old);
  double nd = n->op == N_PREINC || n->op == N_POSTINC ? d + 1 : d - 1;
  struct val r = lref_store(ref, num_val(nd));
  val_free(&r);
  return num_val(n->op == N_PREINC || n->op == N_PREDEC ? nd : d);
}

static struct val eval_assign(struct node *n) {
  if (n->sub == '=') return assign(n->a[0], eval(n->a[1]));
  /* the right side first, as other awks do for a[i++] += i */
  double r = eval_num(n->a[1]);
  struct lref ref = lvalue_ref(n->a[0]);
  struct val old = lref_get(ref);
  double l = val_num(&old);
  val_free(&old);
  return lref_store(ref, num_val(arith(n->sub, l, r)));
}

static struct val eval_concat(struct node *n) {
  struct val a = eval(n->a[0]), b = eval(n->a[1]);
  const char *x = val_str(&a), *y = val_str(&b);
  size_t lx = strlen(x), ly = strlen(y);
  char *s = xmalloc(lx + ly + 1);
  memcpy(s, x, lx);
  memcpy(s + lx, y, ly + 1);
  val_free(&a);
  val_free(&b);
  return str_val(s);
}

static struct val eval_in(struct node *n) {
  struct arr *a = get_array(n->a[0]);
  char *key = subscript(n->list, n->nlist);
  int r = arr_find(a, key) != NULL;
  free(key);
  return num_val(r);
}

static struct val call_function(struct node *n) {
  struct func *f = n->fn;
  if (n->nlist > f->nparams) fatal("too many arguments in call to %s", f->name);
  if (++call_depth > 10000) fatal("function call nesting too deep in %s", f->name);
  struct var *locals = xmalloc((size_t)(f->nparams + 1) * sizeof *locals);
  memset(locals, 0, (size_t)(f->nparams + 1) * sizeof *locals);
  for (int i = 0; i < f->nparams; i++) locals[i].v = uninit_val();
  for (int i = 0; i < n->nlist; i++) {
    struct node *arg = n->list[i];
    if (arg->op == N_VAR || arg->op == N_LOCAL) {
      struct var *v = var_of(arg);
      while (v->ref) v = v->ref;
      if (v->type != T_SCALAR) {
        locals[i].ref = v;
        continue;
      }
    }
    locals[i].v = eval(arg);
    locals[i].type = T_SCALAR;
  }
  struct var *saved = frame;
  frame = locals;
  ret_val = uninit_val();
  exec(f->body);
  struct val r = ret_val;
  ret_val = uninit_val();
  frame = saved;
  for (int i = 0; i < f->nparams; i++) {
    val_free(&locals[i].v);
    if (locals[i].a) {
      arr_clear(locals[i].a);
      free(locals[i].a->tab);
      free(locals[i].a);
    }
  }
  free(locals);
  call_depth--;
  return r;
}

static struct val call_builtin(struct node *n);

static struct val eval(struct node *n) {
  switch (n->op) {
  case N_NUM: return num_val(n->num);
  case N_STR: return str_val(xstrdup(n->str));
  case N_REGEX: {
    long cap[2 * RE_NSUB];
    return num_val(re_match_str(n->re, val_str(&fields[0]), cap));
  }
  case N_VAR:
  case N_LOCAL:
  case N_INDEX:
  case N_FIELD: return get_lvalue(n);
  case N_GROUP: return eval(n->a[0]);
  case N_ASSIGN: return eval_assign(n);
  case N_COND: {
    struct val c = eval(n->a[0]);
    int t = val_true(&c);
    val_free(&c);
    return eval(n->a[t ? 1 : 2]);
  }
  case N_AND:
  case N_OR: {
    struct val c = eval(n->a[0]);
    int t = val_true(&c);
    val_free(&c);
    if (t == (n->op == N_OR)) return num_val(t);
    c = eval(n->a[1]);
    t = val_true(&c);
    val_free(&c);
    return num_val(t);
  }
  case N_NOT: {
    struct val c = eval(n->a[0]);
    int t = val_true(&c);
    val_free(&c);
    return num_val(!t);
  }
  case N_NEG: return num_val(-eval_num(n->a[0]));
  case N_UPLUS: return num_val(eval_num(n->a[0]));
  case N_BINOP: {
    double a = eval_num(n->a[0]);
    return num_val(arith(n->sub, a, eval_num(n->a[1])));
  }
  case N_CONCAT: return eval_concat(n);
  case N_CMP: return eval_cmp(n);
  case N_MATCH: {
    char *s = eval_str(n->a[0]);
    long cap[2 * RE_NSUB];
    int r = re_match_str(node_re(n->a[1]), s, cap);
    free(s);
    return num_val(r != n->sub);
  }
  case N_IN: return eval_in(n);
  case N_PREINC:
  case N_PREDEC:
  case N_POSTINC:
  case N_POSTDEC: return eval_incdec(n);
  case N_CALL: return call_function(n);
  case N_BUILTIN: return call_builtin(n);
  case N_GETLINE: {
    struct val r;
    do_getline(n, &r);
    return r;
  }
  default: fatal("bad expression%s", ""); return uninit_val();
  }
}

#include "awk_call.h"

#endif
