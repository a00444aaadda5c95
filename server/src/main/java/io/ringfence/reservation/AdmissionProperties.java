package io.ringfence.reservation;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param grouped whether creates that start now and run open-ended are admitted in groups: creates arriving while a
 *     group's transaction runs wait and form the next group, which takes its pools' locks once and commits once
 * @param committers transactions admitting groups at once on this replica
 * @param groupLimit the most creates one group admits
 */
@ConfigurationProperties("ringfence.admission")
public record AdmissionProperties(Boolean grouped, Integer committers, Integer groupLimit) {
    public AdmissionProperties {
        grouped = grouped == null ? Boolean.TRUE : grouped;
        committers = committers == null ? 2 : committers;
        groupLimit = groupLimit == null ? 64 : groupLimit;
        if (committers < 1) {
            throw new IllegalArgumentException("ringfence.admission.committers must be at least 1");
        }
        if (groupLimit < 1) {
            throw new IllegalArgumentException("ringfence.admission.group-limit must be at least 1");
        }
    }
}
