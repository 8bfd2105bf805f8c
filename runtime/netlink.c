/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rtnetlink requests for instance networking (see netlink.h): one message builder over a fixed
 * buffer, one exchange loop that sends a request with NLM_F_ACK and reads until the kernel's
 * answer to that sequence number. Replaces the `ip` runs that made up most of `unf run`'s cost.
 */
#include "netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Requests are a few hundred bytes; the largest is a veth pair with its nested peer. */
struct nl_req {
    union {
        struct nlmsghdr h;
        char buf[1024];
    } u;
    int overflow;
};

static void *req_init(struct nl_req *r, uint16_t type, uint16_t flags, size_t hdrlen)
{
    memset(r, 0, sizeof(*r));
    r->u.h.nlmsg_type = type;
    r->u.h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
    r->u.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(hdrlen);
    return NLMSG_DATA(&r->u.h);
}

static struct rtattr *attr_put(struct nl_req *r, uint16_t type, const void *data, size_t len)
{
    size_t at = NLMSG_ALIGN(r->u.h.nlmsg_len);
    if (at + RTA_SPACE(len) > sizeof(r->u.buf)) {
        r->overflow = 1;
        return NULL;
    }
    struct rtattr *a = (struct rtattr *)(r->u.buf + at);
    a->rta_type = type;
    a->rta_len = (unsigned short)RTA_LENGTH(len);
    if (len)
        memcpy(RTA_DATA(a), data, len);
    r->u.h.nlmsg_len = (uint32_t)(at + RTA_SPACE(len));
    return a;
}

static void attr_str(struct nl_req *r, uint16_t type, const char *s)
{
    attr_put(r, type, s, strlen(s) + 1);
}

static void attr_u32(struct nl_req *r, uint16_t type, uint32_t v)
{
    attr_put(r, type, &v, sizeof(v));
}

/* A nest is an attribute whose length is fixed up once its contents are in. */
static struct rtattr *nest_begin(struct nl_req *r, uint16_t type)
{
    return attr_put(r, type, NULL, 0);
}

static void nest_end(struct nl_req *r, struct rtattr *nest)
{
    if (nest)
        nest->rta_len = (unsigned short)((char *)&r->u.h + r->u.h.nlmsg_len - (char *)nest);
}

static int set_err(struct nl_sock *nl, int e, const char *what, const char *name, const char *detail)
{
    snprintf(nl->err, sizeof(nl->err), "%s %s: %s%s%s", what, name, strerror(e),
             detail ? ": " : "", detail ? detail : "");
    return -e;
}

/* The kernel's extended ACK message, when the error carries one (NETLINK_EXT_ACK). */
static const char *ext_ack_msg(const struct nlmsghdr *h)
{
    const struct nlmsgerr *e = NLMSG_DATA(h);
    if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
        return NULL;
    size_t off = NLMSG_LENGTH(sizeof(*e));
    if (!(h->nlmsg_flags & NLM_F_CAPPED))   /* the request's payload is echoed first */
        off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
    while (off + NLA_HDRLEN <= h->nlmsg_len) {
        const struct nlattr *a = (const struct nlattr *)((const char *)h + off);
        if (a->nla_len < NLA_HDRLEN || off + a->nla_len > h->nlmsg_len)
            return NULL;
        const char *s = (const char *)a + NLA_HDRLEN;
        size_t len = a->nla_len - NLA_HDRLEN;
        if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG && len > 0 && s[len - 1] == '\0')
            return s;
        off += NLA_ALIGN(a->nla_len);
    }
    return NULL;
}

/*
 * Sends r and reads until the ACK or error for it. A RTM_NEWLINK answer on the way (to a
 * RTM_GETLINK) stores its index in *ifindex. what/name describe the request for the error line.
 */
static int talk(struct nl_sock *nl, struct nl_req *r, const char *what, const char *name, int *ifindex)
{
    union {
        struct nlmsghdr h;
        char buf[16384];
    } in;
    if (r->overflow)
        return set_err(nl, EMSGSIZE, what, name, "request too large");
    r->u.h.nlmsg_seq = ++nl->seq;
    ssize_t n = send(nl->fd, r->u.buf, r->u.h.nlmsg_len, 0);
    if (n != (ssize_t)r->u.h.nlmsg_len)
        return set_err(nl, n < 0 ? errno : EIO, what, name, "netlink send");
    for (;;) {
        n = recv(nl->fd, in.buf, sizeof(in.buf), MSG_TRUNC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return set_err(nl, errno, what, name, "netlink receive");
        if ((size_t)n > sizeof(in.buf))
            return set_err(nl, EMSGSIZE, what, name, "netlink answer truncated");
        int left = (int)n;
        for (struct nlmsghdr *h = &in.h; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_seq != nl->seq)
                continue;   /* a late answer to an earlier request */
            if (h->nlmsg_type == RTM_NEWLINK && ifindex &&
                h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifinfomsg)))
                *ifindex = ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index;
            if (h->nlmsg_type != NLMSG_ERROR)
                continue;
            if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
                return set_err(nl, EIO, what, name, "short netlink error");
            int e = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
            if (e == 0)
                return 0;
            return set_err(nl, -e, what, name, ext_ack_msg(h));
        }
    }
}

int nl_open(struct nl_sock *nl)
{
    int one = 1;
    memset(nl, 0, sizeof(*nl));
    nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (nl->fd < 0) {
        int e = errno;
        return set_err(nl, e, "cannot open", "a netlink socket", NULL);
    }
    /* Both are best effort: without them errors are merely less precise. */
    (void)setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
    (void)setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
    return 0;
}

void nl_close(struct nl_sock *nl)
{
    if (nl->fd >= 0)
        close(nl->fd);
    nl->fd = -1;
}

static int check_name(struct nl_sock *nl, const char *what, const char *name)
{
    if (!name[0] || strlen(name) >= IFNAMSIZ)
        return set_err(nl, EINVAL, what, name, "bad interface name");
    return 0;
}

int nl_link_index(struct nl_sock *nl, const char *name)
{
    struct nl_req r;
    int index = 0;
    int rc = check_name(nl, "cannot find link", name);
    if (rc < 0)
        return rc;
    struct ifinfomsg *ifi = req_init(&r, RTM_GETLINK, 0, sizeof(*ifi));
    ifi->ifi_family = AF_UNSPEC;
    attr_str(&r, IFLA_IFNAME, name);
    rc = talk(nl, &r, "cannot find link", name, &index);
    if (rc < 0)
        return rc;
    return index > 0 ? index : set_err(nl, ENODEV, "cannot find link", name, NULL);
}

/* The ifinfomsg of a link change: up sets IFF_UP, otherwise flags stay as they are. */
static void link_flags(struct ifinfomsg *ifi, int up)
{
    ifi->ifi_family = AF_UNSPEC;
    if (up) {
        ifi->ifi_flags = IFF_UP;
        ifi->ifi_change = IFF_UP;
    }
}

static int master_attr(struct nl_sock *nl, struct nl_req *r, const char *master)
{
    if (!master)
        return 0;
    int index = nl_link_index(nl, master);
    if (index < 0)
        return index;
    attr_u32(r, IFLA_MASTER, (uint32_t)index);
    return 0;
}

int nl_veth_add(struct nl_sock *nl, const char *name, const char *master, const char *peer,
                int peer_netns_fd, int up)
{
    struct nl_req r;
    int rc = check_name(nl, "cannot create veth", name);
    if (rc < 0 || (rc = check_name(nl, "cannot create veth peer", peer)) < 0)
        return rc;
    struct ifinfomsg *ifi = req_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifi));
    link_flags(ifi, up);
    attr_str(&r, IFLA_IFNAME, name);
    struct rtattr *info = nest_begin(&r, IFLA_LINKINFO);
    attr_str(&r, IFLA_INFO_KIND, "veth");
    struct rtattr *data = nest_begin(&r, IFLA_INFO_DATA);
    /* VETH_INFO_PEER holds an ifinfomsg of its own, then the peer's attributes. Its flags stay
     * 0: the kernel configures the peer before the pair is joined, and opening a veth without
     * its peer fails (ENOTCONN). */
    struct ifinfomsg peer_ifi = {.ifi_family = AF_UNSPEC};
    struct rtattr *peer_nest = attr_put(&r, VETH_INFO_PEER, &peer_ifi, sizeof(peer_ifi));
    attr_str(&r, IFLA_IFNAME, peer);
    if (peer_netns_fd >= 0)
        attr_u32(&r, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd);
    nest_end(&r, peer_nest);
    nest_end(&r, data);
    nest_end(&r, info);
    if ((rc = master_attr(nl, &r, master)) < 0)
        return rc;
    return talk(nl, &r, "cannot create veth", name, NULL);
}

int nl_bridge_add(struct nl_sock *nl, const char *name, const uint8_t mac[6], int up)
{
    struct nl_req r;
    int rc = check_name(nl, "cannot create bridge", name);
    if (rc < 0)
        return rc;
    struct ifinfomsg *ifi = req_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifi));
    link_flags(ifi, up);
    attr_str(&r, IFLA_IFNAME, name);
    if (mac)
        attr_put(&r, IFLA_ADDRESS, mac, 6);
    struct rtattr *info = nest_begin(&r, IFLA_LINKINFO);
    attr_str(&r, IFLA_INFO_KIND, "bridge");
    nest_end(&r, info);
    return talk(nl, &r, "cannot create bridge", name, NULL);
}

int nl_link_set(struct nl_sock *nl, const char *name, const char *master, int up)
{
    struct nl_req r;
    int rc = check_name(nl, "cannot change link", name);
    if (rc < 0)
        return rc;
    struct ifinfomsg *ifi = req_init(&r, RTM_NEWLINK, 0, sizeof(*ifi));
    link_flags(ifi, up);
    attr_str(&r, IFLA_IFNAME, name);
    if ((rc = master_attr(nl, &r, master)) < 0)
        return rc;
    return talk(nl, &r, "cannot change link", name, NULL);
}

/* What an address and a route on a link both start with: text + prefix length checked and
 * parsed into a[] (*family AF_INET or AF_INET6), and the link's index (negative: error set). */
static int on_link(struct nl_sock *nl, const char *what, const char *dev, const char *text, int prefix,
                   unsigned char a[16], int *family)
{
    *family = strchr(text, ':') ? AF_INET6 : AF_INET;
    int max = *family == AF_INET6 ? 128 : 32;
    if (inet_pton(*family, text, a) != 1 || prefix < 0 || prefix > max)
        return set_err(nl, EINVAL, what, text, "not an address/prefix");
    return nl_link_index(nl, dev);
}

int nl_addr_add(struct nl_sock *nl, const char *dev, const char *ip, int prefix)
{
    struct nl_req r;
    unsigned char a[16];
    int family, index = on_link(nl, "cannot add address", dev, ip, prefix, a, &family);
    if (index < 0)
        return index;
    struct ifaddrmsg *ifa = req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa));
    ifa->ifa_family = (unsigned char)family;
    ifa->ifa_prefixlen = (unsigned char)prefix;
    ifa->ifa_index = (unsigned)index;
    /* An address the runtime hands out is unique by construction: usable at once, no DAD. */
    if (family == AF_INET6)
        ifa->ifa_flags = IFA_F_NODAD;
    size_t len = family == AF_INET6 ? 16 : 4;
    attr_put(&r, IFA_LOCAL, a, len);
    attr_put(&r, IFA_ADDRESS, a, len);
    return talk(nl, &r, "cannot add address", ip, NULL);
}

int nl_link_inet_conf(struct nl_sock *nl, const char *dev, int conf, uint32_t value)
{
    struct nl_req r;
    int rc = check_name(nl, "cannot change link", dev);
    if (rc < 0)
        return rc;
    if (conf < 1 || conf > 0xffff)
        return set_err(nl, EINVAL, "cannot change link", dev, "bad IPv4 setting");
    struct ifinfomsg *ifi = req_init(&r, RTM_NEWLINK, 0, sizeof(*ifi));
    link_flags(ifi, 0);
    attr_str(&r, IFLA_IFNAME, dev);
    /* IFLA_AF_SPEC holds one nest per family; AF_INET's holds IFLA_INET_CONF, whose attribute
     * types are the IPV4_DEVCONF_* numbers. */
    struct rtattr *spec = nest_begin(&r, IFLA_AF_SPEC);
    struct rtattr *inet = nest_begin(&r, AF_INET);
    struct rtattr *cnf = nest_begin(&r, IFLA_INET_CONF);
    attr_u32(&r, (uint16_t)conf, value);
    nest_end(&r, cnf);
    nest_end(&r, inet);
    nest_end(&r, spec);
    return talk(nl, &r, "cannot change link", dev, NULL);
}

int nl_route_add(struct nl_sock *nl, const char *dev, const char *dst, int prefix)
{
    struct nl_req r;
    unsigned char a[16];
    int family, index = on_link(nl, "cannot add route", dev, dst, prefix, a, &family);
    if (index < 0)
        return index;
    struct rtmsg *rtm = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(*rtm));
    rtm->rtm_family = (unsigned char)family;
    rtm->rtm_dst_len = (unsigned char)prefix;
    rtm->rtm_table = RT_TABLE_MAIN;
    rtm->rtm_protocol = RTPROT_STATIC;
    /* As `ip route add DST dev DEV`: on-link, so link scope for IPv4 (IPv6 has no scopes). */
    rtm->rtm_scope = family == AF_INET ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
    rtm->rtm_type = RTN_UNICAST;
    attr_put(&r, RTA_DST, a, family == AF_INET6 ? 16 : 4);
    attr_u32(&r, RTA_OIF, (uint32_t)index);
    return talk(nl, &r, "cannot add route", dst, NULL);
}

int nl_link_del(struct nl_sock *nl, const char *name)
{
    struct nl_req r;
    int rc = check_name(nl, "cannot delete link", name);
    if (rc < 0)
        return rc;
    struct ifinfomsg *ifi = req_init(&r, RTM_DELLINK, 0, sizeof(*ifi));
    ifi->ifi_family = AF_UNSPEC;
    attr_str(&r, IFLA_IFNAME, name);
    return talk(nl, &r, "cannot delete link", name, NULL);
}
