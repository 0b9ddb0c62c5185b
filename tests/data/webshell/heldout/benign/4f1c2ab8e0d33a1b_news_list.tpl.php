<?php
/* Smarty version 3.1.39, created on 2023-04-11 09:12:33
  from '/var/www/site/templates/news_list.tpl' */

/* @var Smarty_Internal_Template $_smarty_tpl */
if ($_smarty_tpl->_decodeProperties($_smarty_tpl, array (
  'version' => '3.1.39',
  'unifunc' => 'content_6434b4a1c2d5e3_81234567',
  'has_nocache_code' => false,
  'file_dependency' =>
  array (
    '4f1c2ab8e0d33a1b7a0c2b4e5d6f7a8b9c0d1e2f' =>
    array (
      0 => '/var/www/site/templates/news_list.tpl',
      1 => 1681175400,
      2 => 'file',
    ),
  ),
),false)) {
function content_6434b4a1c2d5e3_81234567 (Smarty_Internal_Template $_smarty_tpl) {
?><ul class="news">
<?php
$_from = $_smarty_tpl->smarty->ext->_foreach->init($_smarty_tpl, $_smarty_tpl->tpl_vars['items']->value, 'item');
$_smarty_tpl->tpl_vars['item']->do_else = true;
if ($_from !== null) foreach ($_from as $_smarty_tpl->tpl_vars['item']->value) {
$_smarty_tpl->tpl_vars['item']->do_else = false;
?>
  <li><a href="/news/<?php echo intval($_smarty_tpl->tpl_vars['item']->value['id']);?>.html"><?php echo htmlspecialchars($_smarty_tpl->tpl_vars['item']->value['title'], ENT_QUOTES, 'UTF-8', true);?></a></li>
<?php
}
$_smarty_tpl->smarty->ext->_foreach->restore($_smarty_tpl, 1);?>
</ul>
<?php }
}
